import type { BlockDuration, BlockReason } from '../user/block';
import type { Actor } from '../shared/domain-event';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { requireAdmin } from './admin-queries';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface BlockUserCommand extends Omit<Traced, 'viewer'> {
  /** An admin, or SYSTEM_ACTOR for automated blocks. */
  viewer: Actor;
  userId: string;
  reason: BlockReason;
  duration: BlockDuration;
  userMessage: string;
  adminNote?: string | null;
}

/** An admin (or the system) blocks a member; the event terminates the member's sessions. */
export const blockUser =
  (deps: ChangeUserDeps) =>
  async (command: BlockUserCommand): Promise<PersonalUser> => {
    // Refuse members before looking anything up: they must not learn which ids exist.
    requireAdmin(command.viewer);
    return changeUser(deps, command.userId, (user) =>
      user.block({
        actor: command.viewer,
        reason: command.reason,
        duration: command.duration,
        userMessage: command.userMessage,
        adminNote: command.adminNote ?? null,
        correlationId: command.correlationId,
      }),
    );
  };
