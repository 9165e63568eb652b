import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Form, Input, List, Space, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { BrowseListingsDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';

/** Every member's listings, searchable by words and category (both kept in the URL). */
export function ListingsPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const { data, error, loading, fetchMore } = useQuery(BrowseListingsDocument, {
    variables: { filter: { search: search || null, category: category || null }, first: 20 },
  });
  const apply = (values: { q?: string; category?: string }) => {
    const next = new URLSearchParams();
    if (values.q?.trim()) next.set('q', values.q.trim());
    if (values.category?.trim()) next.set('category', values.category.trim());
    setParams(next);
  };
  const listings = data?.listings;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Browse items
      </Typography.Title>
      <Form layout="inline" onFinish={apply} initialValues={{ q: search, category }} key={`${search}|${category}`} style={{ marginBottom: 16 }}>
        <Form.Item label="Search" name="q">
          <Input placeholder="drill, tent…" />
        </Form.Item>
        <Form.Item label="Category" name="category">
          <Input placeholder="tools" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          Search
        </Button>
      </Form>
      {error && <Alert type="error" title={errorMessage(error)} />}
      <List
        loading={loading}
        grid={{ gutter: 16, xs: 1, sm: 2, md: 3 }}
        dataSource={listings?.nodes ?? []}
        locale={{ emptyText: 'No items match.' }}
        renderItem={(listing) => (
          <List.Item>
            <Card title={<Link to={`/listings/${listing.id}`}>{listing.title}</Link>}>
              <Space orientation="vertical">
                <Typography.Text>{listing.category} · {listing.location}</Typography.Text>
                <Typography.Text type="secondary">Shared by {listing.sharer.displayName ?? 'a member'}</Typography.Text>
              </Space>
            </Card>
          </List.Item>
        )}
      />
      {listings?.pageInfo.hasNextPage && (
        <Button onClick={() => void fetchMore({ variables: { after: listings.pageInfo.endCursor } })}>More items</Button>
      )}
    </>
  );
}
