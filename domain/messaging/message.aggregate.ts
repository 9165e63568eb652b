import { createHash } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { DomainEvent } from '../shared/domain-event';
import { newEntityId } from '../shared/entity-id';
import { requireText } from '../shared/text';
import { TEXT_LIMITS } from '../shared/text-limits';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { messagingErrors } from './messaging.errors';

export interface MessageProps {
  id: string;
  conversationId: string;
  senderId: string;
  recipientId: string;
  text: string;
  sentAt: Date;
}

export type MessageSent = DomainEvent<'message.sent', MessageProps>;

/**
 * One conversation per pair of members, whoever wrote first: its id is derived from the
 * pair, so two first messages sent at once cannot start two conversations.
 */
export function conversationIdBetween(a: string, b: string): string {
  const [first, second] = a < b ? [a, b] : [b, a];
  return createHash('sha256').update(`${first}:${second}`).digest('hex').slice(0, 24);
}

/** A direct message from one member to another. */
export class Message {
  private constructor(private readonly props: MessageProps) {}

  /** Writes a message; the sender's block, if any, refuses it. `id`: as ItemListing.publish. */
  static send(
    sender: PersonalUser,
    recipient: { id: string; found: PersonalUser | null },
    text: string,
    clock: Clock,
    id?: string,
  ): Message {
    sender.validateUserCanPerformAction('SEND_MESSAGE');
    if (recipient.id === sender.id) throw messagingErrors.toSelf();
    if (recipient.found === null) throw messagingErrors.unknownRecipient();
    const body = requireText(text, { field: 'text', min: 1, max: TEXT_LIMITS.messageText });
    const now = clock.now();
    return new Message({
      id: id ?? newEntityId(now),
      conversationId: conversationIdBetween(sender.id, recipient.id),
      senderId: sender.id,
      recipientId: recipient.id,
      text: body,
      sentAt: now,
    });
  }

  static rehydrate(props: MessageProps): Message {
    return new Message({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get conversationId(): string {
    return this.props.conversationId;
  }
  get senderId(): string {
    return this.props.senderId;
  }
  get recipientId(): string {
    return this.props.recipientId;
  }
  get text(): string {
    return this.props.text;
  }
  get sentAt(): Date {
    return this.props.sentAt;
  }

  /** The event that delivers it live to the recipient. */
  sentEvent(correlationId: string): MessageSent {
    return {
      id: this.id,
      type: 'message.sent',
      aggregateId: this.conversationId,
      occurredAt: this.sentAt,
      actorId: this.senderId,
      correlationId,
      payload: { ...this.props },
    };
  }
}
