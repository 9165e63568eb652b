import type { BlockDuration, BlockReason } from '../user/block';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { authorize } from '../user/role-table';
import type { UserAction } from '../user/user-action';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface RestrictUserCommand extends Traced {
  userId: string;
  actions: readonly UserAction[];
  categories?: readonly string[] | null;
  reason: BlockReason;
  duration: BlockDuration;
  userMessage: string;
  adminNote?: string | null;
}

/**
 * Staff restrict some of a member's actions. The event pushes the new status to the
 * member's and watching staff's subscriptions; no socket is closed.
 */
export const restrictUser =
  (deps: ChangeUserDeps) =>
  async (command: RestrictUserCommand): Promise<PersonalUser> => {
    // Refuse members before looking anything up: they must not learn which ids exist.
    authorize(command.viewer, 'RESTRICT');
    return changeUser(deps, command.userId, (user) =>
      user.restrict({
        actor: command.viewer,
        actions: command.actions,
        categories: command.categories ?? null,
        reason: command.reason,
        duration: command.duration,
        userMessage: command.userMessage,
        adminNote: command.adminNote ?? null,
        correlationId: command.correlationId,
      }),
    );
  };
