import type { PersonalUser } from '../user/personal-user.aggregate';
import { changeUser, type ChangeUserDeps } from './change-user';

/**
 * Writes the EXPIRED entry of a lapsed block and publishes the ACTIVE status. Safe to run
 * on every instance at once: only the first save raises anything, later ones find no
 * lapsed block.
 */
export const settleExpiredBlock =
  (deps: ChangeUserDeps) =>
  (command: { userId: string; correlationId: string }): Promise<PersonalUser> =>
    changeUser(deps, command.userId, (user) => {
      user.settleExpiredBlock(command.correlationId);
    });
