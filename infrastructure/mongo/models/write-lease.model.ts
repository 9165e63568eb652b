import { Schema, type Connection, type Model } from 'mongoose';

/** A short exclusive right to write one document (see write-lease.ts). */
export interface WriteLeaseDoc {
  /** Random per lease, so breaking a stale lease can never delete its successor. */
  _id: string;
  /** `<aggregate>:<id>`; unique, which is what makes the lease exclusive. */
  key: string;
  expiresAt: Date;
}

const writeLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

writeLeaseSchema.index({ key: 1 }, { unique: true });

const NAME = 'WriteLease';

/** The write leases model on `conn`, registered on first use. */
export function writeLeaseModel(conn: Connection): Model<WriteLeaseDoc> {
  return (
    (conn.models[NAME] as Model<WriteLeaseDoc> | undefined) ??
    conn.model<WriteLeaseDoc>(NAME, writeLeaseSchema, 'write_leases')
  );
}
