import type { AuditRecorder } from '../audit/audit-entry';
import { Appeal } from '../appeals/appeal.aggregate';
import type { AppealRepository } from '../appeals/appeal.repository';
import type { Clock } from '../shared/clock';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { loadViewer } from './load-viewer';
import type { Traced } from './viewer';

export interface AppealBlockCommand extends Traced {
  message: string;
  /** The appeal's id, reserved by an idempotent request (use-cases/idempotent.ts). */
  id?: string;
}

/** A blocked member appeals the block in force, once per block. */
export const appealBlock =
  (deps: { users: PersonalUserRepository; appeals: AppealRepository; audit: AuditRecorder; clock: Clock }) =>
  async (command: AppealBlockCommand): Promise<Appeal> => {
    const member = await loadViewer(deps.users, command.viewer);
    const appeal = Appeal.file(member, command.message, deps.clock, command.id);
    await deps.appeals.insert(appeal);
    deps.audit.record({
      type: 'APPEAL_FILED',
      actorId: member.id,
      targetId: member.id,
      reason: appeal.message,
      correlationId: command.correlationId,
      details: { appealId: appeal.id, blockReason: appeal.blockReason, blockedAt: appeal.blockedAt.toISOString() },
    });
    return appeal;
  };
