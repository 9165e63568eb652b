import { useQuery } from '@apollo/client/react';
import { Alert, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { SearchMembersDocument, type AccountState, type Role } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';
import { StateTag } from '../components/state-tag';

const PAGE_SIZE = 20;
const STATES: AccountState[] = ['ACTIVE', 'RESTRICTED', 'BLOCKED'];
const ROLES: Role[] = ['MEMBER', 'MODERATOR', 'ADMIN'];

interface Filters {
  q: string;
  state: AccountState[];
  role: Role[];
  appeal: string;
}

/** Members: search, filters and page all live in the URL, so a reload or a shared link keeps them. */
export function MembersPage() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = {
    q: params.get('q') ?? '',
    state: params.getAll('state') as AccountState[],
    role: params.getAll('role') as Role[],
    appeal: params.get('appeal') ?? '',
  };
  const after = params.get('after');
  const { data, error, loading } = useQuery(SearchMembersDocument, {
    variables: {
      filter: {
        search: filters.q || null,
        states: filters.state.length ? filters.state : null,
        roles: filters.role.length ? filters.role : null,
        appealOpen: filters.appeal === 'open' ? true : null,
      },
      first: PAGE_SIZE,
      after,
    },
  });
  const apply = (values: Filters) => {
    const next = new URLSearchParams();
    if (values.q?.trim()) next.set('q', values.q.trim());
    for (const state of values.state ?? []) next.append('state', state);
    for (const role of values.role ?? []) next.append('role', role);
    if (values.appeal) next.set('appeal', values.appeal);
    setParams(next);
  };
  const page = data?.members;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Members
      </Typography.Title>
      <Form
        layout="inline"
        initialValues={filters}
        key={params.toString().replace(/&?after=[^&]*/, '')}
        onFinish={apply}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item label="Search" name="q">
          <Input placeholder="Name, email or external id" style={{ width: 260 }} />
        </Form.Item>
        <Form.Item label="State" name="state">
          <Select mode="multiple" allowClear style={{ minWidth: 160 }} options={STATES.map((value) => ({ value, label: value }))} />
        </Form.Item>
        <Form.Item label="Role" name="role">
          <Select mode="multiple" allowClear style={{ minWidth: 140 }} options={ROLES.map((value) => ({ value, label: value }))} />
        </Form.Item>
        <Form.Item label="Appeal" name="appeal">
          <Select
            style={{ width: 140 }}
            options={[
              { value: '', label: 'Any' },
              { value: 'open', label: 'Open appeal' },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          Search
        </Button>
      </Form>
      {error && <Alert type="error" title={errorMessage(error)} />}
      <Typography.Paragraph data-testid="member-count">
        {page ? `${page.totalCount} member${page.totalCount === 1 ? '' : 's'}` : ' '}
      </Typography.Paragraph>
      <Table
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={page?.nodes ?? []}
        columns={[
          { title: 'Name', render: (_, row) => <Link to={`/members/${row.id}`}>{row.displayName ?? row.externalId ?? row.id}</Link> },
          { title: 'Email', render: (_, row) => row.email ?? '' },
          { title: 'External id', dataIndex: 'externalId' },
          { title: 'Role', dataIndex: 'role' },
          { title: 'State', render: (_, row) => (row.accountStatus ? <StateTag state={row.accountStatus.state} /> : '') },
          {
            title: 'Block ends',
            render: (_, row) => (row.accountStatus?.state === 'BLOCKED' ? formatInstant(row.accountStatus.expiresAt) : ''),
          },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        {after && (
          <Button
            onClick={() => {
              const next = new URLSearchParams(params);
              next.delete('after');
              setParams(next);
            }}
          >
            First page
          </Button>
        )}
        {page?.pageInfo.hasNextPage && (
          <Button
            onClick={() => {
              const next = new URLSearchParams(params);
              next.set('after', page.pageInfo.endCursor ?? '');
              setParams(next);
            }}
          >
            Next page
          </Button>
        )}
      </Space>
    </>
  );
}
