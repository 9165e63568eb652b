import type { PersonalUser } from '../user/personal-user.aggregate';
import { changeUser, type ChangeUserDeps } from './change-user';

/**
 * Writes the EXPIRED entry of a lapsed block and the RESTRICTION_EXPIRED entries of lapsed
 * restrictions, and publishes the new status. Safe to run on every instance at once: only
 * the first save raises anything, later ones find nothing lapsed.
 */
export const settleExpiredBlock =
  (deps: ChangeUserDeps) =>
  (command: { userId: string; correlationId: string }): Promise<PersonalUser> =>
    changeUser(deps, command.userId, (user) => {
      user.settleExpiredBlock(command.correlationId);
      user.settleExpiredRestrictions(command.correlationId);
    });
