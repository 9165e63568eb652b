import type { AuditRecorder } from '../audit/audit-entry';
import type { SessionControl } from '../ports/session-control';
import { TEXT_LIMITS } from '../shared/text-limits';
import { requireText } from '../shared/text';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { userErrors } from '../user/user.errors';
import { authorize } from '../user/role-table';
import type { Traced, Viewer } from './viewer';

export interface ForceDisconnectCommand extends Traced {
  userId: string;
  /** Why, for the audit trail only: the member is not told. 1..1000 characters after trimming. */
  reason: string;
}

export interface ForceDisconnectDeps {
  users: PersonalUserRepository;
  sessions: SessionControl;
  audit: AuditRecorder;
}

/**
 * Staff close every live socket of a member, on every instance, without blocking them:
 * nothing is stored on the member, who may reconnect at once. The role table decides on
 * whom: moderators on members, admins on members and moderators, nobody on themself.
 * @returns how many sockets were closed, over every instance that answered
 */
export const forceDisconnect =
  (deps: ForceDisconnectDeps) =>
  async (command: ForceDisconnectCommand): Promise<number> => {
    // Refuse members before looking anything up: they must not learn which ids exist.
    authorize(command.viewer, 'FORCE_DISCONNECT');
    const reason = requireText(command.reason, { field: 'reason', min: 1, max: TEXT_LIMITS.forceDisconnectReason });
    const target = await deps.users.findById(command.userId);
    if (!target) throw userErrors.notFound();
    authorize(command.viewer, 'FORCE_DISCONNECT', target);

    const outcome = await deps.sessions.disconnectEverywhere(target.id, command.correlationId);
    deps.audit.record({
      type: 'FORCE_DISCONNECT',
      actorId: command.viewer.userId,
      targetId: target.id,
      reason,
      correlationId: command.correlationId,
      details: {
        socketsClosed: outcome.socketsClosed,
        instances: outcome.instances,
        ...(outcome.unanswered.length > 0 ? { unanswered: outcome.unanswered } : {}),
      },
    });
    return outcome.socketsClosed;
  };

/** A member's live sockets over every instance alive now, for staff only. */
export const activeSessionCount =
  (deps: { sessions: SessionControl }) =>
  async (viewer: Viewer, userId: string): Promise<number> => {
    authorize(viewer, 'READ_MEMBER');
    return deps.sessions.activeSessionCount(userId);
  };
