import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditEntryType } from '../../../domain/audit/audit-entry';

/** An audit entry as stored: `id` as `_id`, details as plain JSON values. */
export interface AuditEntryDoc {
  _id: string;
  type: AuditEntryType;
  actorId: string | null;
  targetId: string | null;
  reason: string | null;
  at: Date;
  instance: string;
  correlationId: string;
  details: Record<string, unknown>;
  /** Only for entries derived from a domain event; `_id` is derived from it. */
  idempotencyKey?: string;
}

const auditEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    actorId: { type: String, default: null },
    targetId: { type: String, default: null },
    reason: { type: String, default: null },
    at: { type: Date, required: true },
    instance: { type: String, required: true },
    correlationId: { type: String, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
    idempotencyKey: { type: String },
  },
  { versionKey: false, autoIndex: false, autoCreate: false, minimize: false },
);

// Every list is newest first by (at, _id) with a keyset bound on the same pair, so each
// filter needs an index that ends in (at, _id) after its equality fields:
// - no filter, since/until only:           (at, _id)
// - types (+ since/until):                  (type, at, _id); several types merge-sort
// - userId = actor OR target (+ anything):  $or of (actorId, at, _id) and (targetId, at, _id),
//   which MongoDB merge-sorts; types is then a residual filter over one member's entries.
auditEntrySchema.index({ at: -1, _id: -1 });
auditEntrySchema.index({ type: 1, at: -1, _id: -1 });
auditEntrySchema.index({ actorId: 1, at: -1, _id: -1 });
auditEntrySchema.index({ targetId: 1, at: -1, _id: -1 });

const NAME = 'AuditEntry';

/** The audit entries model on `conn`, registered on first use. */
export function auditEntryModel(conn: Connection): Model<AuditEntryDoc> {
  return (
    (conn.models[NAME] as Model<AuditEntryDoc> | undefined) ??
    conn.model<AuditEntryDoc>(NAME, auditEntrySchema, 'auditEntries')
  );
}
