import { Schema, type Connection, type Model } from 'mongoose';

/** A conversation as stored; `_id` is derived from the pair (conversationIdBetween). */
export interface ConversationDoc {
  _id: string;
  /** Sorted, so the pair has one spelling. */
  participantIds: string[];
  createdAt: Date;
  lastMessageAt: Date;
}

const conversationSchema = new Schema(
  {
    _id: { type: String, required: true },
    participantIds: { type: [String], required: true },
    createdAt: { type: Date, required: true },
    lastMessageAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

conversationSchema.index({ participantIds: 1, lastMessageAt: -1, _id: -1 });

const NAME = 'Conversation';

/** The conversations model on `conn`, registered on first use. */
export function conversationModel(conn: Connection): Model<ConversationDoc> {
  return (
    (conn.models[NAME] as Model<ConversationDoc> | undefined) ??
    conn.model<ConversationDoc>(NAME, conversationSchema, 'conversations')
  );
}
