import type { BlockDuration, BlockRecord } from '../user/block';

/**
 * When the system blocks a member by itself: `offences` offences within `windowMs` block
 * the member for the next duration of `durations`, one step further for every earlier
 * automated block in the member's history (the last duration repeats).
 */
export interface AutomatedBlockPolicy {
  /** Offences that trigger a block; 0 switches automated blocks off. */
  offences: number;
  windowMs: number;
  /** Escalation ladder, e.g. DAYS_7, DAYS_30, DAYS_90; never empty. */
  durations: readonly BlockDuration[];
  /** Shown to the member as the block's userMessage. */
  userMessage: string;
}

/** What counts against a member. Admins commit none: they are never blocked automatically. */
export type OffenceKind =
  /** A member's request was refused by a rate limit. */
  | 'RATE_LIMITED'
  /** A member called an admin operation (FORBIDDEN). */
  | 'FORBIDDEN';

/** A block placed by the system: BLOCKED by nobody (admins' blocks name the admin). */
export function isAutomatedBlock(record: BlockRecord): boolean {
  return record.kind === 'BLOCKED' && record.by === null;
}

/** The duration of the next automated block, given the member's history (any order). */
export function nextAutomatedBlockDuration(
  history: readonly BlockRecord[],
  durations: readonly BlockDuration[],
): BlockDuration {
  if (durations.length === 0) throw new Error('an automated block policy needs at least one duration');
  const earlier = history.filter(isAutomatedBlock).length;
  return durations[Math.min(earlier, durations.length - 1)]!;
}

/** The internal note of an automated block, for the admins reading the history. */
export function automatedBlockNote(policy: AutomatedBlockPolicy, last: OffenceKind): string {
  const minutes = Math.round(policy.windowMs / 60_000);
  const window = minutes >= 1 ? `${minutes} min` : `${Math.round(policy.windowMs / 1000)} s`;
  return `Automated block: ${policy.offences} offences within ${window} (rate-limit hits or refused admin operations); last: ${last}`;
}

/**
 * Port: per-member offence counts, shared by every instance of a deployment.
 */
export interface OffenceCounter {
  /**
   * Counts one offence of `userId` within `policy.windowMs`. Resolves `true` for exactly
   * one caller, deployment-wide, when the count reaches `policy.offences`; the count then
   * starts over and further offences are ignored until `release(userId)`, so concurrent
   * offences on several instances trigger one block. Resolves `false` when the counter is
   * unavailable (fail open).
   */
  count(userId: string, policy: Pick<AutomatedBlockPolicy, 'offences' | 'windowMs'>): Promise<boolean>;
  /** Ends the pause `count` started once the triggered block is placed (or failed). */
  release(userId: string): Promise<void>;
}
