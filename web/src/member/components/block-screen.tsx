import { Card, Descriptions, Typography } from 'antd';
import type { StandingFieldsFragment } from '../../generated/graphql';
import { formatInstant } from '../../shared/format';
import { REASON_LABEL } from '../../shared/labels';
import { AppealSection } from './appeal-section';

/** What a blocked member sees instead of the app: why, until when, and how to appeal. */
export function BlockScreen({ status }: { status: StandingFieldsFragment }) {
  return (
    <main>
      <Card style={{ maxWidth: 720, margin: '0 auto' }}>
        <div role="alert" data-testid="block-screen">
          <Typography.Title level={1} style={{ fontSize: 28 }}>
            Your account is blocked
          </Typography.Title>
          <Typography.Paragraph>
            You cannot create listings, make or accept reservations, or send messages while the block is in force.
          </Typography.Paragraph>
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label="Reason">{status.reason ? REASON_LABEL[status.reason] : '—'}</Descriptions.Item>
            <Descriptions.Item label="Message from the moderators">
              <span data-testid="block-message">{status.userMessage}</span>
            </Descriptions.Item>
            <Descriptions.Item label="Since">{formatInstant(status.blockedAt)}</Descriptions.Item>
            <Descriptions.Item label="Ends">{status.expiresAt ? formatInstant(status.expiresAt) : 'No end date'}</Descriptions.Item>
          </Descriptions>
        </div>
        <AppealSection status={status} />
      </Card>
    </main>
  );
}
