import type { PersonalUser } from '../user/personal-user.aggregate';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface UnblockUserCommand extends Traced {
  userId: string;
  reason: string;
}

export const unblockUser =
  (deps: ChangeUserDeps) =>
  (command: UnblockUserCommand): Promise<PersonalUser> =>
    changeUser(deps, command.userId, (user) =>
      user.unblock({ actor: command.viewer, reason: command.reason, correlationId: command.correlationId }),
    );
