import { Schema, type Connection, type Model } from 'mongoose';
import type { Block, BlockRecord } from '../../../domain/user/block';
import type { Restriction } from '../../../domain/user/restriction';
import type { Role } from '../../../domain/user/role';
import type { UserEvent } from '../../../domain/user/user.events';

/**
 * A member as stored. Profile fields belong to provisioning, `block`, `blockHistory`,
 * `outbox` and `version` to `save`: the two writers never touch each other's fields.
 */
export interface PersonalUserDoc {
  _id: string;
  externalId: string;
  displayName: string | null;
  email: string | null;
  role: Role;
  block: Block | null;
  /** Restrictions placed and not lifted nor settled; absent in documents older than them. */
  restrictions?: Restriction[];
  /** Oldest first. */
  blockHistory: BlockRecord[];
  /** Events saved with the state change that raised them, until published. */
  outbox: UserEvent[];
  version: number;
  createdAt: Date;
  /** When `save` last wrote block, restrictions or history: the session sweep's range. */
  standingChangedAt?: Date;
}

const blockSchema = new Schema(
  {
    reason: { type: String, required: true },
    duration: { type: String, required: true },
    userMessage: { type: String, required: true },
    adminNote: { type: String, default: null },
    blockedAt: { type: Date, required: true },
    blockedBy: { type: String, default: null },
    expiresAt: { type: Date, default: null },
  },
  { _id: false },
);

const blockRecordSchema = new Schema(
  {
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: String, default: null },
    reason: { type: String, default: null },
    duration: { type: String, default: null },
    note: { type: String, default: null },
    // Restriction entries only.
    restrictionId: { type: String, default: undefined },
    actions: { type: [String], default: undefined },
    categories: { type: [String], default: undefined },
  },
  { _id: false },
);

const restrictionSchema = new Schema(
  {
    id: { type: String, required: true },
    actions: { type: [String], required: true },
    categories: { type: [String], default: null },
    reason: { type: String, required: true },
    duration: { type: String, required: true },
    userMessage: { type: String, required: true },
    adminNote: { type: String, default: null },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, default: null },
    expiresAt: { type: Date, default: null },
  },
  { _id: false },
);

const personalUserSchema = new Schema(
  {
    _id: { type: String, required: true },
    externalId: { type: String, required: true },
    displayName: { type: String, default: null },
    email: { type: String, default: null },
    role: { type: String, required: true },
    block: { type: blockSchema, default: null },
    restrictions: { type: [restrictionSchema], default: [] },
    blockHistory: { type: [blockRecordSchema], default: [] },
    // Events are stored as raised; their payloads differ by type.
    outbox: { type: [Schema.Types.Mixed], default: [] },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    standingChangedAt: { type: Date, default: undefined },
  },
  { versionKey: false, autoIndex: false, autoCreate: false },
);

personalUserSchema.index({ externalId: 1 }, { unique: true });
personalUserSchema.index({ 'block.expiresAt': 1 });
personalUserSchema.index({ 'restrictions.expiresAt': 1 }, { sparse: true });
personalUserSchema.index({ 'restrictions.id': 1 }, { sparse: true });
// Staff's member search (repositories/member-directory.ts): the page order, and the
// fields a search prefix is matched against.
personalUserSchema.index({ createdAt: -1, _id: -1 });
personalUserSchema.index({ displayName: 1 });
personalUserSchema.index({ email: 1 });
// The session sweep reads the members whose standing changed since its last run.
personalUserSchema.index({ standingChangedAt: 1 }, { sparse: true });
// Sparse: only members with unpublished events are in it (the relay's query).
personalUserSchema.index({ 'outbox.occurredAt': 1 }, { sparse: true });

const NAME = 'PersonalUser';

/** The members model on `conn`, registered on first use. */
export function personalUserModel(conn: Connection): Model<PersonalUserDoc> {
  return (
    (conn.models[NAME] as Model<PersonalUserDoc> | undefined) ??
    conn.model<PersonalUserDoc>(NAME, personalUserSchema, 'users')
  );
}
