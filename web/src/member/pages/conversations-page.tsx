import { useQuery, useSubscription } from '@apollo/client/react';
import { Alert, Col, List, Row, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ConversationThreadDocument, MessageArrivedDocument, MyConversationsDocument, MyStandingDocument } from '../../generated/graphql';
import { errorMessage } from '../../shared/error-message';
import { formatInstant } from '../../shared/format';
import { ComposeBox } from '../components/compose-box';

/** The member's conversations and, beside them, the open one with live messages. */
export function ConversationsPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const me = useQuery(MyStandingDocument, { fetchPolicy: 'cache-only' }).data?.me;
  const conversations = useQuery(MyConversationsDocument);
  // Any message to the member refreshes the list and the open thread.
  useSubscription(MessageArrivedDocument, {
    onData: () => void conversations.client.refetchQueries({ include: [MyConversationsDocument, ConversationThreadDocument] }),
  });
  const others = (participants: { id: string; displayName: string | null }[]) =>
    participants.filter((person) => person.id !== me?.id).map((person) => person.displayName ?? 'a member').join(', ');
  const newRecipient = params.get('to');
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        Messages
      </Typography.Title>
      {conversations.error && <Alert type="error" title={errorMessage(conversations.error)} />}
      <Row gutter={24}>
        <Col xs={24} md={8}>
          <nav aria-label="Conversations">
            <List
              dataSource={conversations.data?.myConversations.nodes ?? []}
              locale={{ emptyText: 'No conversations yet.' }}
              renderItem={(conversation) => (
                <List.Item>
                  <Link to={`/conversations/${conversation.id}`} aria-current={conversation.id === id ? 'page' : undefined}>
                    {others(conversation.participants)}
                  </Link>
                  <Typography.Text type="secondary"> {formatInstant(conversation.lastMessageAt)}</Typography.Text>
                </List.Item>
              )}
            />
          </nav>
        </Col>
        <Col xs={24} md={16}>
          {id ? (
            <Thread id={id} myId={me?.id ?? ''} />
          ) : newRecipient ? (
            <ComposeBox recipientId={newRecipient} />
          ) : (
            <Typography.Paragraph>Choose a conversation.</Typography.Paragraph>
          )}
        </Col>
      </Row>
    </>
  );
}

function Thread({ id, myId }: { id: string; myId: string }) {
  const { data, error } = useQuery(ConversationThreadDocument, { variables: { id } });
  if (error) return <Alert type="error" title={errorMessage(error)} />;
  if (!data) return null;
  const { conversation } = data;
  const other = conversation.participants.find((person) => person.id !== myId);
  const messages = [...conversation.messages.nodes].reverse();
  return (
    <section aria-label="Conversation">
      <List
        data-testid="thread"
        dataSource={messages}
        renderItem={(message) => (
          <List.Item>
            <div>
              <Typography.Text strong>{message.sender.id === myId ? 'You' : (message.sender.displayName ?? 'Member')}</Typography.Text>{' '}
              <Typography.Text type="secondary">{formatInstant(message.sentAt)}</Typography.Text>
              <div>{message.text}</div>
            </div>
          </List.Item>
        )}
      />
      {other && <ComposeBox recipientId={other.id} />}
    </section>
  );
}
