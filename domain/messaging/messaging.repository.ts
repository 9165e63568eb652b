import type { Page, PageRequest } from '../shared/page';
import type { ConversationSummary } from './conversation';
import type { Message } from './message.aggregate';

export interface MessagingRepository {
  /** Stores the message and creates or touches its conversation. */
  insertMessage(message: Message): Promise<void>;
  findConversation(id: string): Promise<ConversationSummary | null>;
  /** Most recently active first. */
  listConversations(memberId: string, page: PageRequest): Promise<Page<ConversationSummary>>;
  /** Newest first. */
  listMessages(conversationId: string, page: PageRequest): Promise<Page<Message>>;
}
