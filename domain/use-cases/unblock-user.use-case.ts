import type { PersonalUser } from '../user/personal-user.aggregate';
import { requireAdmin } from './admin-queries';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface UnblockUserCommand extends Traced {
  userId: string;
  reason: string;
}

export const unblockUser =
  (deps: ChangeUserDeps) =>
  async (command: UnblockUserCommand): Promise<PersonalUser> => {
    requireAdmin(command.viewer);
    return changeUser(deps, command.userId, (user) =>
      user.unblock({ actor: command.viewer, reason: command.reason, correlationId: command.correlationId }),
    );
  };
