import type { DomainEvent } from '../shared/domain-event';
import type { AccountStatus } from './account-status';

export type UserBlocked = DomainEvent<'user.blocked', { status: AccountStatus; replacedPrevious: boolean }>;
export type UserUnblocked = DomainEvent<'user.unblocked', { status: AccountStatus; reason: string }>;
export type BlockExpired = DomainEvent<'user.block-expired', { status: AccountStatus }>;

export type UserEvent = UserBlocked | UserUnblocked | BlockExpired;

/** Every user event changes the account status and carries the new one. */
export function statusOf(event: UserEvent): AccountStatus {
  return event.payload.status;
}
