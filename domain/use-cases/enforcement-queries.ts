import type { AccountStatus } from '../user/account-status';
import type { PersonalUserRepository } from '../user/personal-user.repository';

/**
 * The current statuses of the members whose standing was saved at or after `since`: what
 * the session sweep checks its sockets and subscriptions against, in one query whose cost
 * follows the changes, not the number of connected members.
 */
export const standingsChangedSince =
  (deps: { users: PersonalUserRepository }) =>
  async (since: Date): Promise<AccountStatus[]> =>
    (await deps.users.findStandingChangedSince(since)).map((user) => user.accountStatus());

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
