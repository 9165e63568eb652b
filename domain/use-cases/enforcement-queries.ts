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
