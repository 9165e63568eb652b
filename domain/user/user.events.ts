import type { DomainEvent } from '../shared/domain-event';
import type { AccountStatus } from './account-status';
import type { BlockDuration, BlockReason } from './block';
import type { UserAction } from './user-action';

/**
 * `duration` is for the audit trail. The admin note stays out of every event on purpose
 * (events travel further than admins' eyes); the trail reads it from the history.
 */
export type UserBlocked = DomainEvent<
  'user.blocked',
  { status: AccountStatus; replacedPrevious: boolean; duration: BlockDuration }
>;
export type UserUnblocked = DomainEvent<'user.unblocked', { status: AccountStatus; reason: string }>;
/** `lapsed` is the block that ran out, for the audit trail. */
export type BlockExpired = DomainEvent<
  'user.block-expired',
  { status: AccountStatus; lapsed: { reason: BlockReason; duration: BlockDuration; expiresAt: Date } }
>;

/** A restriction as the audit trail needs it (no note: see above). */
export interface RestrictionSummary {
  restrictionId: string;
  actions: UserAction[];
  categories: string[] | null;
  reason: BlockReason;
  duration: BlockDuration;
  expiresAt: Date | null;
}

export type UserRestricted = DomainEvent<'user.restricted', { status: AccountStatus; restriction: RestrictionSummary }>;
export type RestrictionLifted = DomainEvent<
  'user.restriction-lifted',
  { status: AccountStatus; restriction: RestrictionSummary; reason: string }
>;
export type RestrictionExpired = DomainEvent<
  'user.restriction-expired',
  { status: AccountStatus; restriction: RestrictionSummary }
>;

export type UserEvent =
  | UserBlocked
  | UserUnblocked
  | BlockExpired
  | UserRestricted
  | RestrictionLifted
  | RestrictionExpired;

export const USER_EVENT_TYPES: ReadonlySet<string> = new Set<UserEvent['type']>([
  'user.blocked',
  'user.unblocked',
  'user.block-expired',
  'user.restricted',
  'user.restriction-lifted',
  'user.restriction-expired',
]);

/** Every user event changes the account status and carries the new one. */
export function statusOf(event: UserEvent): AccountStatus {
  return event.payload.status;
}
