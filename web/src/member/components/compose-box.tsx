import { useMutation } from '@apollo/client/react';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ConversationThreadDocument, MyConversationsDocument, SendMessageDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { useActionPermission } from '../use-action-permission';
import { ActionGate } from './action-gate';

/** Writes a message; refused (aria-disabled, with the reason) while messaging is not allowed. */
export function ComposeBox({ recipientId }: { recipientId: string }) {
  const permission = useActionPermission('SEND_MESSAGE');
  const [text, setText] = useState('');
  const { id } = useParams();
  const navigate = useNavigate();
  const [send, { loading, error }] = useMutation(SendMessageDocument, {
    refetchQueries: [MyConversationsDocument, ConversationThreadDocument],
  });
  const submit = async () => {
    const result = await send({ variables: { input: { recipientId, text } } }).catch(() => null);
    const conversationId = result?.data?.sendMessage.conversationId;
    if (!conversationId) return;
    setText('');
    if (conversationId !== id) void navigate(`/conversations/${conversationId}`);
  };
  return (
    <Form layout="vertical" onFinish={() => void submit()} style={{ marginTop: 16 }}>
      <ActionGate permission={permission}>
        {(gate) => (
          <Form.Item label="Your message" htmlFor="compose">
            <Input.TextArea
              id="compose"
              data-testid="compose"
              rows={3}
              maxLength={2000}
              value={text}
              onChange={(event) => setText(event.target.value)}
              {...gate}
            />
          </Form.Item>
        )}
      </ActionGate>
      {error && <Alert type="error" title={errorMessage(error)} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" loading={loading} disabled={!permission.allowed || text.trim().length === 0}>
        Send
      </Button>
    </Form>
  );
}
