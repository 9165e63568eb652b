import type { BlockReason } from './block';

export type AccountState = 'ACTIVE' | 'BLOCKED';

/** What a member (and the admins watching) see of an account's standing. */
export interface AccountStatus {
  userId: string;
  state: AccountState;
  reason: BlockReason | null;
  userMessage: string | null;
  blockedAt: Date | null;
  expiresAt: Date | null;
  changedAt: Date;
}
