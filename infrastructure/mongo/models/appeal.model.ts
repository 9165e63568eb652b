import { Schema, type Connection, type Model } from 'mongoose';
import type { AppealProps } from '../../../domain/appeals/appeal.aggregate';

/** An appeal as stored: the aggregate's props with `id` as `_id`. */
export type AppealDoc = Omit<AppealProps, 'id'> & { _id: string };

const appealSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    blockKey: { type: String, required: true },
    blockReason: { type: String, required: true },
    blockedAt: { type: Date, required: true },
    message: { type: String, required: true },
    state: { type: String, required: true },
    createdAt: { type: Date, required: true },
    decidedAt: { type: Date, default: null },
    decidedBy: { type: String, default: null },
    decisionNote: { type: String, default: null },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

// One appeal per block, enforced by the store so two concurrent filings cannot both win.
appealSchema.index({ blockKey: 1 }, { unique: true });
appealSchema.index({ state: 1, createdAt: -1, _id: -1 });

const NAME = 'Appeal';

export function appealModel(conn: Connection): Model<AppealDoc> {
  return (conn.models[NAME] as Model<AppealDoc> | undefined) ?? conn.model<AppealDoc>(NAME, appealSchema, 'appeals');
}
