import type { Connection, Model } from 'mongoose';
import type { ConversationSummary } from '../../../domain/messaging/conversation';
import { Message } from '../../../domain/messaging/message.aggregate';
import type { MessagingRepository } from '../../../domain/messaging/messaging.repository';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { guarded, isDuplicateKeyError } from '../mongo-errors';
import { conversationModel, type ConversationDoc } from '../models/conversation.model';
import { messageModel, type MessageDoc } from '../models/message.model';
import { findKeysetPage } from './keyset-page';

/** Messages and the conversations they belong to, in MongoDB. */
export class MongoMessagingRepository implements MessagingRepository {
  private readonly messages: Model<MessageDoc>;
  private readonly conversations: Model<ConversationDoc>;

  constructor(conn: Connection) {
    this.messages = messageModel(conn);
    this.conversations = conversationModel(conn);
  }

  insertMessage(message: Message): Promise<void> {
    return guarded(async () => {
      try {
        await this.messages.insertOne({
          _id: message.id,
          conversationId: message.conversationId,
          senderId: message.senderId,
          recipientId: message.recipientId,
          text: message.text,
          sentAt: message.sentAt,
        });
      } catch (error) {
        // Stored by an earlier try under the same (idempotency-reserved) id: keep it.
        if (!isDuplicateKeyError(error)) throw error;
      }
      await this.touchConversation(message);
    });
  }

  findMessage(id: string): Promise<Message | null> {
    return guarded(async () => {
      const doc = await this.messages.findById(id).lean<MessageDoc>().exec();
      return doc ? toMessage(doc) : null;
    });
  }

  /** Creates the conversation or moves its lastMessageAt forward, never back. */
  private async touchConversation(message: Message): Promise<void> {
    const participantIds = [message.senderId, message.recipientId].sort();
    // One atomic upsert: concurrent senders never move lastMessageAt back.
    await this.conversations
      .updateOne(
        { _id: message.conversationId },
        {
          $setOnInsert: { participantIds },
          $min: { createdAt: message.sentAt },
          $max: { lastMessageAt: message.sentAt },
        },
        { upsert: true },
      )
      .exec();
  }

  findConversation(id: string): Promise<ConversationSummary | null> {
    return guarded(async () => {
      const doc = await this.conversations.findById(id).lean<ConversationDoc>().exec();
      return doc ? toSummary(doc) : null;
    });
  }

  listConversations(memberId: string, page: PageRequest): Promise<Page<ConversationSummary>> {
    return guarded(() =>
      findKeysetPage(this.conversations, { participantIds: memberId }, 'lastMessageAt', page, toSummary),
    );
  }

  listMessages(conversationId: string, page: PageRequest): Promise<Page<Message>> {
    return guarded(() => findKeysetPage(this.messages, { conversationId }, 'sentAt', page, toMessage));
  }
}

function toSummary(doc: ConversationDoc): ConversationSummary {
  const [first = '', second = ''] = doc.participantIds;
  return { id: doc._id, participantIds: [first, second], lastMessageAt: doc.lastMessageAt, createdAt: doc.createdAt };
}

function toMessage(doc: MessageDoc): Message {
  return Message.rehydrate({
    id: doc._id,
    conversationId: doc.conversationId,
    senderId: doc.senderId,
    recipientId: doc.recipientId,
    text: doc.text,
    sentAt: doc.sentAt,
  });
}
