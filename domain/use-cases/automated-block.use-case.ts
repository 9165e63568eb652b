import {
  automatedBlockNote,
  nextAutomatedBlockDuration,
  type AutomatedBlockPolicy,
  type OffenceCounter,
  type OffenceKind,
} from '../moderation/automated-block-policy';
import { SYSTEM_ACTOR } from '../shared/domain-event';
import type { BlockDuration } from '../user/block';
import type { PersonalUser } from '../user/personal-user.aggregate';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import type { BlockUserCommand } from './block-user.use-case';

export interface AutomatedBlockDeps {
  users: Pick<PersonalUserRepository, 'findById'>;
  offences: OffenceCounter;
  /** The admins' use case: an automated block is a block like any other, by SYSTEM_ACTOR. */
  blockUser: (command: BlockUserCommand) => Promise<PersonalUser>;
  policy: AutomatedBlockPolicy;
}

export interface OffenceCommand {
  userId: string;
  kind: OffenceKind;
  correlationId: string;
}

export type OffenceOutcome =
  | { kind: 'COUNTED' }
  | { kind: 'BLOCKED'; user: PersonalUser; duration: BlockDuration }
  /** The threshold was reached but nobody was blocked. */
  | { kind: 'SKIPPED'; why: 'ADMIN' | 'ALREADY_BLOCKED' | 'UNKNOWN_MEMBER' };

/**
 * Counts one offence of a member; the offence that reaches the policy's threshold blocks
 * the member through `blockUser` with SYSTEM_ACTOR (reason POLICY_VIOLATION, blockedBy
 * null), so the block ends the member's sessions exactly as an admin's block does.
 * Exactly one of many concurrent offences triggers (the counter's promise); a member
 * already blocked keeps the block in force, and admins are never blocked.
 */
export const recordOffence =
  (deps: AutomatedBlockDeps) =>
  async (command: OffenceCommand): Promise<OffenceOutcome> => {
    if (deps.policy.offences <= 0) return { kind: 'COUNTED' };
    if (!(await deps.offences.count(command.userId, deps.policy))) return { kind: 'COUNTED' };
    try {
      return await blockAutomatically(deps, command);
    } finally {
      await deps.offences.release(command.userId);
    }
  };

async function blockAutomatically(deps: AutomatedBlockDeps, command: OffenceCommand): Promise<OffenceOutcome> {
  const user = await deps.users.findById(command.userId);
  if (!user) return { kind: 'SKIPPED', why: 'UNKNOWN_MEMBER' };
  if (user.isAdmin) return { kind: 'SKIPPED', why: 'ADMIN' };
  // Replacing a block in force (perhaps an admin's longer one) would shorten or reset it.
  if (user.isBlocked()) return { kind: 'SKIPPED', why: 'ALREADY_BLOCKED' };
  const duration = nextAutomatedBlockDuration(user.blockHistory, deps.policy.durations);
  const blocked = await deps.blockUser({
    viewer: SYSTEM_ACTOR,
    userId: user.id,
    reason: 'POLICY_VIOLATION',
    duration,
    userMessage: deps.policy.userMessage,
    adminNote: automatedBlockNote(deps.policy, command.kind),
    correlationId: command.correlationId,
  });
  return { kind: 'BLOCKED', user: blocked, duration };
}
