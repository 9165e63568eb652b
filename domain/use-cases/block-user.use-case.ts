import type { BlockDuration, BlockReason } from '../user/block';
import { BLOCK_DURATIONS } from '../user/block';
import type { Actor } from '../shared/domain-event';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { authorize, blockOperation } from '../user/role-table';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface BlockUserCommand extends Omit<Traced, 'viewer'> {
  /** Staff, or SYSTEM_ACTOR for automated blocks. */
  viewer: Actor;
  userId: string;
  reason: BlockReason;
  duration: BlockDuration;
  userMessage: string;
  adminNote?: string | null;
}

/** Staff (or the system) block a member; the event terminates the member's sessions. */
export const blockUser =
  (deps: ChangeUserDeps) =>
  async (command: BlockUserCommand): Promise<PersonalUser> => {
    // Refuse by role before looking anything up: members must not learn which ids exist.
    authorize(command.viewer, BLOCK_DURATIONS.includes(command.duration) ? blockOperation(command.duration) : 'BLOCK_DAYS_7');
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
