import type { AuditRecorder } from '../audit/audit-entry';
import type { Appeal } from '../appeals/appeal.aggregate';
import { appealErrors } from '../appeals/appeal.errors';
import type { AppealRepository } from '../appeals/appeal.repository';
import type { Clock } from '../shared/clock';
import { authorize } from '../user/role-table';
import { userErrors } from '../user/user.errors';
import { changeUser, type ChangeUserDeps } from './change-user';
import type { Traced } from './viewer';

export interface DecideAppealCommand extends Traced {
  appealId: string;
  approve: boolean;
  note: string;
}

/**
 * An admin approves or rejects an appeal. Approval lifts the block through the same
 * unblock as an admin's, with a history entry naming the appeal, so sessions and
 * watchers hear it the same way. A block that ended meanwhile is left as it is.
 */
export const decideAppeal =
  (deps: ChangeUserDeps & { appeals: AppealRepository; audit: AuditRecorder; clock: Clock }) =>
  async (command: DecideAppealCommand): Promise<Appeal> => {
    authorize(command.viewer, 'DECIDE_APPEAL');
    const appeal = await deps.appeals.findById(command.appealId);
    if (!appeal) throw appealErrors.notFound();
    // Nobody decides their own appeal, whatever role a later token gives them.
    const appellant = await deps.users.findById(appeal.userId);
    if (!appellant) throw userErrors.notFound();
    authorize(command.viewer, 'DECIDE_APPEAL', appellant);
    appeal.decide({ actor: command.viewer, approve: command.approve, note: command.note }, deps.clock);
    if (!(await deps.appeals.saveDecision(appeal))) throw appealErrors.alreadyDecided();

    let unblocked = false;
    if (command.approve) {
      const member = await changeUser(deps, appeal.userId, (user) => {
        const block = user.currentBlock;
        // Only the block appealed against is lifted: a newer block is a new decision.
        if (block && block.blockedAt.getTime() === appeal.blockedAt.getTime()) {
          user.unblock({
            actor: command.viewer,
            reason: command.note,
            correlationId: command.correlationId,
            via: `appeal ${appeal.id} approved`,
          });
        }
      });
      unblocked = member.newEvents.length > 0;
    }
    deps.audit.record({
      type: 'APPEAL_DECIDED',
      actorId: command.viewer.userId,
      targetId: appeal.userId,
      reason: command.note,
      correlationId: command.correlationId,
      details: { appealId: appeal.id, outcome: appeal.state, unblocked },
    });
    return appeal;
  };
