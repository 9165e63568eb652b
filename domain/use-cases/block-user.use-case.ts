import type { BlockDuration, BlockReason } from '../user/block';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface BlockUserCommand extends Traced {
  userId: string;
  reason: BlockReason;
  duration: BlockDuration;
  userMessage: string;
  adminNote?: string | null;
}

/** An admin (or the system) blocks a member; the event terminates the member's sessions. */
export const blockUser =
  (deps: ChangeUserDeps) =>
  (command: BlockUserCommand): Promise<PersonalUser> =>
    changeUser(deps, command.userId, (user) =>
      user.block({
        actor: command.viewer,
        reason: command.reason,
        duration: command.duration,
        userMessage: command.userMessage,
        adminNote: command.adminNote ?? null,
        correlationId: command.correlationId,
      }),
    );
