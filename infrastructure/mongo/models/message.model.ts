import { Schema, type Connection, type Model } from 'mongoose';
import type { MessageProps } from '../../../domain/messaging/message.aggregate';

/** A direct message as stored: the aggregate's props with `id` as `_id`. */
export type MessageDoc = Omit<MessageProps, 'id'> & { _id: string };

const messageSchema = new Schema(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    senderId: { type: String, required: true },
    recipientId: { type: String, required: true },
    text: { type: String, required: true },
    sentAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

messageSchema.index({ conversationId: 1, sentAt: -1, _id: -1 });

const NAME = 'Message';

/** The messages model on `conn`, registered on first use. */
export function messageModel(conn: Connection): Model<MessageDoc> {
  return (
    (conn.models[NAME] as Model<MessageDoc> | undefined) ?? conn.model<MessageDoc>(NAME, messageSchema, 'messages')
  );
}
