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

/** The current statuses of those of `ids` who exist. */
export const accountStatusesOf =
  (deps: { users: PersonalUserRepository }) =>
  async (ids: readonly string[]): Promise<AccountStatus[]> =>
    ids.length === 0 ? [] : (await deps.users.findManyByIds(ids)).map((user) => user.accountStatus());

/** The current status of one member, or null when there is no such member. */
export const accountStatusOf =
  (deps: { users: PersonalUserRepository }) =>
  async (userId: string): Promise<AccountStatus | null> =>
    (await deps.users.findById(userId))?.accountStatus() ?? null;

/** A block or restriction in force and when it runs out. */
export interface BlockExpiry {
  userId: string;
  expiresAt: Date;
}

/** Blocks this far in the past are included, in case settling them failed earlier. */
const EPOCH = new Date(0);

/**
 * Timed blocks and restrictions still stored that run out by `until`, lapsed ones
 * included: what the expiry schedule plans with (the domain settles each when its time
 * comes). One entry per member, at its earliest stored expiry.
 */
export const blocksExpiringBy =
  (deps: { users: PersonalUserRepository }) =>
  async (until: Date): Promise<BlockExpiry[]> => {
    const [blocked, restricted] = await Promise.all([
      deps.users.findBlocksExpiringBetween(EPOCH, until),
      deps.users.findRestrictionsExpiringBetween(EPOCH, until),
    ]);
    const earliest = new Map<string, Date>();
    for (const user of [...blocked, ...restricted]) {
      const expiresAt = user.nextStoredExpiry;
      if (expiresAt) earliest.set(user.id, expiresAt);
    }
    return [...earliest].map(([userId, expiresAt]) => ({ userId, expiresAt }));
  };
