import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Space, Table, Typography } from 'antd';
import { AcceptRequestDocument, DeclineRequestDocument, RequestsForMyListingsDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';
import { ActionGate } from '../components/action-gate';
import { useActionPermission } from '../use-action-permission';

/** Requests other members made for the member's items: accept (a guarded action) or decline. */
export function RequestsPage() {
  const permission = useActionPermission('ACCEPT_RESERVATION');
  const { data, error, loading } = useQuery(RequestsForMyListingsDocument);
  const [accept, accepting] = useMutation(AcceptRequestDocument);
  const [decline, declining] = useMutation(DeclineRequestDocument);
  const failure = error ?? accepting.error ?? declining.error;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Requests for my items
      </Typography.Title>
      {failure && <Alert type="error" title={errorMessage(failure)} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data?.requestsForMyListings.nodes ?? []}
        columns={[
          { title: 'Item', render: (_, row) => row.listing.title },
          { title: 'Requested by', render: (_, row) => row.reserver.displayName ?? 'a member' },
          { title: 'From', render: (_, row) => formatInstant(row.start) },
          { title: 'Until', render: (_, row) => formatInstant(row.end) },
          { title: 'State', dataIndex: 'state' },
          {
            title: 'Decision',
            render: (_, row) =>
              row.state === 'PENDING' ? (
                <Space wrap>
                  <ActionGate permission={permission}>
                    {(gate) => (
                      <Button
                        type="primary"
                        {...gate}
                        onClick={() => void accept({ variables: { requestId: row.id } }).catch(() => undefined)}
                      >
                        Accept
                      </Button>
                    )}
                  </ActionGate>
                  <Button onClick={() => void decline({ variables: { requestId: row.id } }).catch(() => undefined)}>Decline</Button>
                </Space>
              ) : null,
          },
        ]}
      />
    </>
  );
}
