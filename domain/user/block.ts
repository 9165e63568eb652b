import type { UserAction } from './user-action';

export const BLOCK_REASONS = ['LATE_RETURN', 'ITEM_DAMAGE', 'POLICY_VIOLATION', 'INAPPROPRIATE_BEHAVIOR', 'OTHER'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export const BLOCK_DURATIONS = ['DAYS_7', 'DAYS_30', 'DAYS_90', 'INDEFINITE'] as const;
export type BlockDuration = (typeof BLOCK_DURATIONS)[number];

const DAY_MS = 86_400_000;
const DURATION_DAYS: Record<BlockDuration, number | null> = { DAYS_7: 7, DAYS_30: 30, DAYS_90: 90, INDEFINITE: null };

/** When a block of `duration` placed at `blockedAt` ends; null while it is indefinite. */
export function expiryOf(duration: BlockDuration, blockedAt: Date): Date | null {
  const days = DURATION_DAYS[duration];
  return days === null ? null : new Date(blockedAt.getTime() + days * DAY_MS);
}

/** The block currently placed on a member. It restricts only until `expiresAt`. */
export interface Block {
  reason: BlockReason;
  duration: BlockDuration;
  userMessage: string;
  adminNote: string | null;
  blockedAt: Date;
  /** null for automated blocks. */
  blockedBy: string | null;
  expiresAt: Date | null;
}

export function isInForce(block: Block | null, now: Date): boolean {
  return block !== null && (block.expiresAt === null || block.expiresAt.getTime() > now.getTime());
}

export type BlockRecordKind =
  | 'BLOCKED'
  | 'UNBLOCKED'
  | 'EXPIRED'
  | 'RESTRICTED'
  | 'RESTRICTION_LIFTED'
  | 'RESTRICTION_EXPIRED';

/** One entry of a member's standing history (blocks and restrictions); append-only. */
export interface BlockRecord {
  kind: BlockRecordKind;
  at: Date;
  by: string | null;
  reason: BlockReason | null;
  duration: BlockDuration | null;
  /**
   * Admin note for BLOCKED and RESTRICTED, the stated reason for UNBLOCKED and
   * RESTRICTION_LIFTED, null for the expiries.
   */
  note: string | null;
  /** Restriction entries only: which restriction, its actions and categories. */
  restrictionId?: string;
  actions?: UserAction[];
  categories?: string[] | null;
}
