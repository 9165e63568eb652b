import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Which member an identity provider's subject is, keyed by the subject itself.
 *
 * Why a second collection when `users` has a unique `externalId` index: FerretDB serves
 * only a lone `_id` equality from an index-like path, and decodes every document for any
 * other filter, so finding a member by `externalId` on every request would grow with the
 * member count. Written once, after the member exists, and never changed.
 */
export interface MemberKeyDoc {
  /** The token's `sub`. */
  _id: string;
  memberId: string;
}

const memberKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    memberId: { type: String, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

const NAME = 'MemberKey';

/** The member keys model on `conn`, registered on first use. */
export function memberKeyModel(conn: Connection): Model<MemberKeyDoc> {
  return (
    (conn.models[NAME] as Model<MemberKeyDoc> | undefined) ??
    conn.model<MemberKeyDoc>(NAME, memberKeySchema, 'member_keys')
  );
}
