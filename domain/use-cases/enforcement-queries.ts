import type { Clock } from '../shared/clock';
import type { AccountStatus } from '../user/account-status';
import type { PersonalUserRepository } from '../user/personal-user.repository';

/**
 * The statuses of those of `ids` who are blocked now: what the session sweep needs to
 * close sockets whose block message was lost. One query when nobody is blocked.
 */
export const blockedStatusesAmong =
  (deps: { users: PersonalUserRepository; clock: Clock }) =>
  async (ids: readonly string[]): Promise<AccountStatus[]> => {
    if (ids.length === 0) return [];
    const blocked = await deps.users.findBlockedAmong(ids, deps.clock.now());
    if (blocked.length === 0) return [];
    const users = await deps.users.findManyByIds(blocked);
    return users.filter((user) => user.isBlocked()).map((user) => user.accountStatus());
  };

/** The current status of one member, or null when there is no such member. */
export const accountStatusOf =
  (deps: { users: PersonalUserRepository }) =>
  async (userId: string): Promise<AccountStatus | null> =>
    (await deps.users.findById(userId))?.accountStatus() ?? null;

/** A block in force and when it runs out. */
export interface BlockExpiry {
  userId: string;
  expiresAt: Date;
}

/** Blocks this far in the past are included, in case settling them failed earlier. */
const EPOCH = new Date(0);

/**
 * Timed blocks still stored as in force that run out by `until`, lapsed ones included:
 * what the expiry schedule plans with (the domain settles each when its time comes).
 */
export const blocksExpiringBy =
  (deps: { users: PersonalUserRepository }) =>
  async (until: Date): Promise<BlockExpiry[]> =>
    (await deps.users.findBlocksExpiringBetween(EPOCH, until)).flatMap((user) => {
      const expiresAt = user.storedBlock?.expiresAt;
      return expiresAt ? [{ userId: user.id, expiresAt }] : [];
    });
