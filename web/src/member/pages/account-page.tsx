import { useQuery } from '@apollo/client/react';
import { Alert, Descriptions, Typography } from 'antd';
import { MyAccountDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';
import { REASON_LABEL } from '../../shared/labels';

const STATE_TEXT = { ACTIVE: 'In good standing', BLOCKED: 'Blocked' } as const;

/** The member's standing, as the server states it. */
export function AccountPage() {
  const { data, error } = useQuery(MyAccountDocument);
  if (error) return <Alert type="error" title={errorMessage(error)} />;
  if (!data) return null;
  const { me } = data;
  const status = me.accountStatus;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Your account
      </Typography.Title>
      <Descriptions column={1} bordered size="small" style={{ maxWidth: 720 }}>
        <Descriptions.Item label="Name">{me.displayName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="Standing">
          <span data-testid="account-standing">{STATE_TEXT[status.state]}</span>
        </Descriptions.Item>
        <Descriptions.Item label="Since">{formatInstant(status.changedAt)}</Descriptions.Item>
        {status.reason && <Descriptions.Item label="Reason">{REASON_LABEL[status.reason]}</Descriptions.Item>}
        {status.userMessage && <Descriptions.Item label="Message">{status.userMessage}</Descriptions.Item>}
      </Descriptions>
    </>
  );
}
