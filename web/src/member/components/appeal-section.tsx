import { useMutation } from '@apollo/client/react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { FileAppealDocument, MyStandingDocument, type StandingFieldsFragment } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';

const APPEAL_STATE_TEXT = { OPEN: 'under review', APPROVED: 'approved', REJECTED: 'rejected' } as const;

/** The appeal against the block in force: its state once filed, else the form to file it. */
export function AppealSection({ status }: { status: StandingFieldsFragment }) {
  const [message, setMessage] = useState('');
  const [fileAppeal, { loading, error }] = useMutation(FileAppealDocument, {
    refetchQueries: [MyStandingDocument],
    awaitRefetchQueries: true,
  });
  if (status.state !== 'BLOCKED') return null;
  const appeal = status.appeal;
  return (
    <section aria-labelledby="appeal-heading" style={{ marginTop: 24 }}>
      <Typography.Title level={2} id="appeal-heading" style={{ fontSize: 20 }}>
        Appeal
      </Typography.Title>
      {appeal ? (
        <div data-testid="appeal-state">
          <Typography.Paragraph>
            Your appeal of {formatInstant(appeal.createdAt)} is {APPEAL_STATE_TEXT[appeal.state]}.
          </Typography.Paragraph>
          {appeal.decisionNote && <Typography.Paragraph>Note from the moderators: {appeal.decisionNote}</Typography.Paragraph>}
        </div>
      ) : (
        <Form layout="vertical" onFinish={() => void fileAppeal({ variables: { message } }).catch(() => undefined)}>
          <Form.Item label="Why should the block be lifted?" htmlFor="appeal-message">
            <Input.TextArea
              id="appeal-message"
              rows={4}
              maxLength={2000}
              showCount
              value={message}
              onChange={(event) => setMessage(event.target.value)}
            />
          </Form.Item>
          {error && <Alert type="error" title={errorMessage(error)} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" loading={loading} disabled={message.trim().length === 0}>
            Send appeal
          </Button>
        </Form>
      )}
    </section>
  );
}
