import type { DomainEvent } from '../shared/domain-event';
import type { AccountStatus } from './account-status';
import type { BlockDuration, BlockReason } from './block';

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

export type UserEvent = UserBlocked | UserUnblocked | BlockExpired;

/** Every user event changes the account status and carries the new one. */
export function statusOf(event: UserEvent): AccountStatus {
  return event.payload.status;
}
