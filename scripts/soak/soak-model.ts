import type { RawGraphQLWs } from '../../test/support/ws-client';

/** History entry kinds (PersonalUser.blockHistory) and the webhook type each one sends. */
export const WEBHOOK_TYPE_OF_KIND: Record<string, string> = {
  BLOCKED: 'USER_BLOCKED',
  UNBLOCKED: 'USER_UNBLOCKED',
  EXPIRED: 'BLOCK_EXPIRED',
  RESTRICTED: 'USER_RESTRICTED',
  RESTRICTION_LIFTED: 'RESTRICTION_LIFTED',
  RESTRICTION_EXPIRED: 'RESTRICTION_EXPIRED',
};

/** Operations that leave one history entry when they succeed. */
export const KIND_OF_OPERATION: Record<string, string | undefined> = {
  block: 'BLOCKED',
  unblock: 'UNBLOCKED',
  restrict: 'RESTRICTED',
  lift: 'RESTRICTION_LIFTED',
};

export type Operation = 'block' | 'unblock' | 'restrict' | 'lift' | 'forceDisconnect' | 'reconnect' | 'resync';

/** How an operation ended, as the client saw it. */
export type Outcome = 'ok' | 'refused' | 'unknown';

/**
 * What the soak believes of one member. Operations on one member never overlap, so after
 * each answered operation the belief is exact; an unanswered one (instance killed, store
 * down) makes it uncertain until a `resync` reads the truth.
 */
export interface MemberModel {
  sub: string;
  id: string;
  busy: boolean;
  /** null: uncertain. */
  blocked: boolean | null;
  /** When the last successful block was answered (ms, Date.now()). */
  blockedAt: number;
  restrictionIds: string[];
  /** Per history kind: operations answered ok, and operations whose outcome is unknown. */
  expected: Record<string, { ok: number; unknown: number }>;
  socket: RawGraphQLWs | null;
  /** Violations already reported for the current block (one per block). */
  reportedBlockAt: number;
}

export function newMemberModel(sub: string, id: string): MemberModel {
  const expected: MemberModel['expected'] = {};
  for (const kind of Object.keys(WEBHOOK_TYPE_OF_KIND)) expected[kind] = { ok: 0, unknown: 0 };
  return { sub, id, busy: false, blocked: false, blockedAt: 0, restrictionIds: [], expected, socket: null, reportedBlockAt: -1 };
}

/** The operation to run next on a member: what its state allows, at random. */
export function nextOperation(member: MemberModel, random: () => number): Operation {
  if (member.blocked === null) return 'resync';
  const roll = random();
  if (roll < 0.2) return 'reconnect';
  if (roll < 0.3) return 'forceDisconnect';
  if (roll < 0.65) return member.blocked ? 'unblock' : 'block';
  return member.restrictionIds.length > 0 && roll < 0.85 ? 'lift' : 'restrict';
}

export interface SoakReport {
  elapsedMs: number;
  operations: number;
  byOperation: Record<string, Record<Outcome, number>>;
  chaos: string[];
  /** Longest time from a block's answer to the member's last socket closing. */
  maxCloseLagMs: number;
  closeBoundMs: number;
  violations: {
    openSocketsOfBlocked: string[];
    historyLost: string[];
    historyDuplicated: string[];
    webhooksLost: string[];
    standingMismatch: string[];
  };
  webhooksReceived: number;
  /** Still queued when the settle phase ended: durable, not lost, but not yet delivered. */
  webhooksUndelivered: number;
  ok: boolean;
}

export function formatReport(report: SoakReport): string {
  const lines = [
    `soak: ${report.operations} operations in ${(report.elapsedMs / 1000).toFixed(1)} s`,
    ...Object.entries(report.byOperation).map(
      ([operation, outcomes]) => `  ${operation.padEnd(16)} ok ${outcomes.ok}, refused ${outcomes.refused}, unknown ${outcomes.unknown}`,
    ),
    `chaos: ${report.chaos.join('; ') || 'none'}`,
    `webhooks received: ${report.webhooksReceived}; still queued at the end: ${report.webhooksUndelivered}`,
    `max block → last socket closed: ${report.maxCloseLagMs} ms (bound ${report.closeBoundMs} ms)`,
  ];
  for (const [name, found] of Object.entries(report.violations)) {
    lines.push(`${found.length === 0 ? 'OK  ' : 'FAIL'} ${name}: ${found.length}${found.length ? ` (${found.slice(0, 5).join(' | ')})` : ''}`);
  }
  lines.push(report.ok ? 'soak: PASS' : 'soak: FAIL');
  return lines.join('\n');
}
