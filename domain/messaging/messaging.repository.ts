import type { Page, PageRequest } from '../shared/page';
import type { ConversationSummary } from './conversation';
import type { Message } from './message.aggregate';

export interface MessagingRepository {
  /**
   * Stores the message and creates or touches its conversation. A message already stored
   * under its id (an idempotent retry whose first try failed at the conversation) is kept
   * as it is, and the conversation is still touched.
   */
  insertMessage(message: Message): Promise<void>;
  findMessage(id: string): Promise<Message | null>;
  findConversation(id: string): Promise<ConversationSummary | null>;
  /** Most recently active first. */
  listConversations(memberId: string, page: PageRequest): Promise<Page<ConversationSummary>>;
  /** Newest first. */
  listMessages(conversationId: string, page: PageRequest): Promise<Page<Message>>;
}
