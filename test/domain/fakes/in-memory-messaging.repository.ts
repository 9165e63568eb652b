import type { ConversationSummary } from '../../../domain/messaging/conversation';
import type { Message } from '../../../domain/messaging/message.aggregate';
import type { MessagingRepository } from '../../../domain/messaging/messaging.repository';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { CallLog } from './call-log';
import { paginate } from './paginate';

export class InMemoryMessagingRepository implements MessagingRepository {
  readonly messages: Message[] = [];
  private readonly conversations = new Map<string, ConversationSummary>();

  constructor(readonly log: CallLog = new CallLog()) {}

  async insertMessage(message: Message): Promise<void> {
    this.log.add(`messaging.insertMessage ${message.id}`);
    if (!this.messages.some((stored) => stored.id === message.id)) this.messages.push(message);
    const existing = this.conversations.get(message.conversationId);
    const participantIds = [message.senderId, message.recipientId].sort() as [string, string];
    this.conversations.set(message.conversationId, {
      id: message.conversationId,
      participantIds,
      lastMessageAt: message.sentAt,
      createdAt: existing?.createdAt ?? message.sentAt,
    });
  }

  async findMessage(id: string): Promise<Message | null> {
    return this.messages.find((message) => message.id === id) ?? null;
  }

  async findConversation(id: string): Promise<ConversationSummary | null> {
    this.log.add(`messaging.findConversation ${id}`);
    return this.conversations.get(id) ?? null;
  }

  async listConversations(memberId: string, page: PageRequest): Promise<Page<ConversationSummary>> {
    const own = [...this.conversations.values()]
      .filter((conversation) => conversation.participantIds.includes(memberId))
      .sort((a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime());
    return paginate(own, page);
  }

  async listMessages(conversationId: string, page: PageRequest): Promise<Page<Message>> {
    this.log.add(`messaging.listMessages ${conversationId}`);
    return paginate(this.messages.filter((message) => message.conversationId === conversationId).reverse(), page);
  }
}
