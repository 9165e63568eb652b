import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Alert, Button, Card, Col, Descriptions, Empty, Input, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { AppealFiledDocument, AppealsQueueDocument, DecideAppealDocument, type AppealsQueueQuery } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant, timeLeft } from '../../shared/format';
import { DURATION_LABEL, REASON_LABEL } from '../../shared/labels';

type QueuedAppeal = AppealsQueueQuery['openAppeals']['nodes'][number];

/** Open appeals, each beside the block it contests; new ones arrive live. */
export function AppealsPage() {
  const { data, error, refetch } = useQuery(AppealsQueueDocument, { fetchPolicy: 'cache-and-network' });
  useSubscription(AppealFiledDocument, { onData: () => void refetch() });
  const appeals = data?.openAppeals.nodes ?? [];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Appeals
      </Typography.Title>
      {error && <Alert type="error" title={errorMessage(error)} />}
      {data && appeals.length === 0 && <Empty description="No open appeals." />}
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        {appeals.map((appeal) => (
          <AppealCard key={appeal.id} appeal={appeal} onDecided={() => void refetch()} />
        ))}
      </Space>
    </>
  );
}

function AppealCard({ appeal, onDecided }: { appeal: QueuedAppeal; onDecided: () => void }) {
  const [note, setNote] = useState('');
  const [decide, { loading, error }] = useMutation(DecideAppealDocument);
  const name = appeal.member.displayName ?? 'Member';
  const block = appeal.member.block;
  const submit = async (approve: boolean) => {
    const result = await decide({ variables: { appealId: appeal.id, approve, note } }).catch(() => null);
    if (result?.data) onDecided();
  };
  const noteId = `note-${appeal.id}`;
  return (
    <Card
      data-testid="appeal-card"
      title={
        <h2 style={{ fontSize: 18, margin: 0 }}>
          <Link to={`/members/${appeal.member.id}`} style={{ textDecoration: 'underline' }}>
            {name}
          </Link>{' '}
          appeals a block of {formatInstant(appeal.blockedAt)}
        </h2>
      }
    >
      <Row gutter={24}>
        <Col xs={24} md={12}>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            The appeal
          </Typography.Title>
          <Typography.Paragraph data-testid="appeal-message">{appeal.message}</Typography.Paragraph>
          <Typography.Text type="secondary">Filed {formatInstant(appeal.createdAt)}</Typography.Text>
        </Col>
        <Col xs={24} md={12}>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            The block
          </Typography.Title>
          {block ? (
            <Descriptions column={1} size="small">
              <Descriptions.Item label="Reason">{REASON_LABEL[block.reason]}</Descriptions.Item>
              <Descriptions.Item label="Duration">{DURATION_LABEL[block.duration]}</Descriptions.Item>
              <Descriptions.Item label="Message">{block.userMessage}</Descriptions.Item>
              <Descriptions.Item label="Internal note">{block.adminNote ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="Placed by">{block.blockedBy?.displayName ?? 'the system'}</Descriptions.Item>
              <Descriptions.Item label="Time left">{timeLeft(block.expiresAt)}</Descriptions.Item>
            </Descriptions>
          ) : (
            <Typography.Text>The block is no longer in force.</Typography.Text>
          )}
        </Col>
      </Row>
      {appeal.member.moderationOptions.canDecideAppeal ? (
        <div style={{ marginTop: 16 }}>
          <label htmlFor={noteId}>Note to the member</label>
          <Input.TextArea id={noteId} rows={2} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} />
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" disabled={!note.trim()} loading={loading} onClick={() => void submit(true)}>
              Approve and lift the block
            </Button>
            <Button danger disabled={!note.trim()} loading={loading} onClick={() => void submit(false)}>
              Reject
            </Button>
          </Space>
          {error && <Alert type="error" title={errorMessage(error)} style={{ marginTop: 8 }} />}
        </div>
      ) : (
        <Typography.Paragraph style={{ marginTop: 16 }}>Appeals are decided by an admin.</Typography.Paragraph>
      )}
    </Card>
  );
}
