import type { PersonalUser } from '../user/personal-user.aggregate';
import { authorize } from '../user/role-table';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface UnblockUserCommand extends Traced {
  userId: string;
  reason: string;
}

export const unblockUser =
  (deps: ChangeUserDeps) =>
  async (command: UnblockUserCommand): Promise<PersonalUser> => {
    authorize(command.viewer, 'UNBLOCK');
    return changeUser(deps, command.userId, (user) =>
      user.unblock({ actor: command.viewer, reason: command.reason, correlationId: command.correlationId }),
    );
  };
