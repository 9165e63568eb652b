import type { BlockReason } from './block';
import type { Capability } from './capability';
import type { RestrictionNotice } from './restriction';

/** RESTRICTED: at least one restriction in force and no block. */
export type AccountState = 'ACTIVE' | 'RESTRICTED' | 'BLOCKED';

/** What a member (and the staff watching) see of an account's standing. */
export interface AccountStatus {
  userId: string;
  state: AccountState;
  /** The block's; null unless BLOCKED. */
  reason: BlockReason | null;
  userMessage: string | null;
  blockedAt: Date | null;
  expiresAt: Date | null;
  changedAt: Date;
  /** The restrictions in force, oldest first; they survive a block. */
  restrictions: RestrictionNotice[];
  /** One per UserAction. */
  capabilities: Capability[];
}

/**
 * What identifies a standing, for telling whether subscribers saw the latest one: the
 * state, the block and the restrictions in force.
 */
export function standingKeyOf(status: AccountStatus): string {
  const restrictions = status.restrictions.map((restriction) => restriction.id).sort();
  return [status.state, status.blockedAt?.toISOString() ?? '', ...restrictions].join('|');
}

/**
 * The next instant this status changes by the clock alone (a block or a restriction
 * running out); null when nothing in it runs out.
 */
export function nextExpiryOf(status: AccountStatus): Date | null {
  const ends = [
    ...(status.state === 'BLOCKED' && status.expiresAt ? [status.expiresAt.getTime()] : []),
    ...status.restrictions.flatMap((restriction) => (restriction.expiresAt ? [restriction.expiresAt.getTime()] : [])),
  ];
  return ends.length > 0 ? new Date(Math.min(...ends)) : null;
}
