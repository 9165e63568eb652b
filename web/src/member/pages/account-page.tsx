import { useQuery } from '@apollo/client/react';
import { Alert, Card, Descriptions, Space, Table, Typography } from 'antd';
import { MyAccountDocument, MyStandingHistoryDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';
import { ACTION_LABEL, DURATION_LABEL, REASON_LABEL } from '../../shared/labels';

const STATE_TEXT = { ACTIVE: 'In good standing', RESTRICTED: 'Some actions restricted', BLOCKED: 'Blocked' } as const;
const KIND_TEXT: Record<string, string> = {
  BLOCKED: 'Blocked',
  UNBLOCKED: 'Block lifted',
  EXPIRED: 'Block ended',
  RESTRICTED: 'Restricted',
  RESTRICTION_LIFTED: 'Restriction lifted',
  RESTRICTION_EXPIRED: 'Restriction ended',
};

/** The member's standing as the server states it: restrictions in force and their history. */
export function AccountPage() {
  const { data, error } = useQuery(MyAccountDocument);
  const history = useQuery(MyStandingHistoryDocument, { fetchPolicy: 'cache-and-network' });
  if (error) return <Alert type="error" title={errorMessage(error)} />;
  const status = data?.me.accountStatus;
  if (!data || !status) return null;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Your account
      </Typography.Title>
      <Space orientation="vertical" size="large" style={{ width: '100%', maxWidth: 860 }}>
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label="Name">{data.me.displayName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="Standing">
            <span data-testid="account-standing">{STATE_TEXT[status.state]}</span>
          </Descriptions.Item>
          <Descriptions.Item label="Since">{formatInstant(status.changedAt)}</Descriptions.Item>
        </Descriptions>
        <section aria-labelledby="restrictions-heading">
          <Typography.Title level={2} id="restrictions-heading" style={{ fontSize: 20 }}>
            Restrictions in force
          </Typography.Title>
          {status.restrictions.length === 0 && <Typography.Paragraph>None.</Typography.Paragraph>}
          {status.restrictions.map((restriction) => (
            <Card key={restriction.id} size="small" style={{ marginBottom: 12 }}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label="Restricted">{restriction.actions.map((action) => ACTION_LABEL[action]).join(', ')}</Descriptions.Item>
                {restriction.categories && <Descriptions.Item label="In categories">{restriction.categories.join(', ')}</Descriptions.Item>}
                <Descriptions.Item label="Reason">{REASON_LABEL[restriction.reason]}</Descriptions.Item>
                <Descriptions.Item label="Message">{restriction.userMessage}</Descriptions.Item>
                <Descriptions.Item label="Ends">{restriction.expiresAt ? formatInstant(restriction.expiresAt) : 'No end date'}</Descriptions.Item>
              </Descriptions>
            </Card>
          ))}
        </section>
        <section aria-labelledby="history-heading">
          <Typography.Title level={2} id="history-heading" style={{ fontSize: 20 }}>
            History
          </Typography.Title>
          <Table
            size="small"
            rowKey={(entry) => `${entry.kind}-${entry.at}`}
            pagination={false}
            dataSource={history.data?.myStandingHistory ?? []}
            locale={{ emptyText: 'Nothing: your account has never been blocked or restricted.' }}
            columns={[
              { title: 'When', render: (_, entry) => formatInstant(entry.at) },
              { title: 'What', render: (_, entry) => KIND_TEXT[entry.kind] ?? entry.kind },
              { title: 'Reason', render: (_, entry) => (entry.reason ? REASON_LABEL[entry.reason] : '') },
              { title: 'Duration', render: (_, entry) => (entry.duration ? DURATION_LABEL[entry.duration] : '') },
              { title: 'Actions', render: (_, entry) => entry.actions?.map((action) => ACTION_LABEL[action]).join(', ') ?? '' },
            ]}
          />
        </section>
      </Space>
    </>
  );
}
