import type { Clock } from '../../domain/shared/clock';
import { NotFoundError } from '../../domain/shared/domain-error';
import type { BlockExpiry } from '../../domain/use-cases/enforcement-queries';
import { nextExpiryOf, type AccountStatus } from '../../domain/user/account-status';

export interface ExpiryScheduleDeps {
  clock: Clock;
  /** Timed blocks in force that run out by `until`, lapsed ones included. */
  blocksExpiringBy(until: Date): Promise<readonly BlockExpiry[]>;
  /**
   * Settles the member's block and restrictions that ran out. Resolves to when the
   * member's stored standing next runs out: null once nothing timed is left.
   */
  settleExpiredBlock(userId: string): Promise<Date | null>;
}

/**
 * When each timed block this instance knows of runs out, so that its expiry is settled
 * within one tick of `expiresAt` without asking MongoDB every second.
 *
 * It learns blocks from account-status signals (every instance receives every one) and
 * from `reconcile`, which reads MongoDB, the truth, for blocks running out within its
 * look-ahead: a block whose signal was lost is found there, days before it expires, and
 * one that lapsed unsettled is settled at the next tick. Settling is the domain's and
 * idempotent, so every instance may settle the same expiry.
 */
export class ExpirySchedule {
  /** Member id → when its block runs out (ms). */
  private readonly due = new Map<string, number>();

  constructor(private readonly deps: ExpiryScheduleDeps) {}

  /**
   * What a signal says: the earliest expiry of a timed block or restriction is planned;
   * a status with nothing timed forgets the member.
   */
  noteStatus(status: AccountStatus): void {
    this.plan(status.userId, nextExpiryOf(status));
  }

  /** Plans every block running out within `lookaheadMs` as MongoDB stores it. */
  async reconcile(lookaheadMs: number): Promise<void> {
    const until = new Date(this.deps.clock.now().getTime() + lookaheadMs);
    for (const block of await this.deps.blocksExpiringBy(until)) this.plan(block.userId, block.expiresAt);
  }

  /**
   * Settles every planned block whose time has come. A failed settle stays planned for the
   * next tick and the error goes to the caller.
   * @returns how many due blocks it handed to the domain (another instance may have
   *   settled some of them first)
   */
  async settleDue(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    let settled = 0;
    for (const [userId, expiresAt] of [...this.due]) {
      if (expiresAt > now) continue;
      this.due.delete(userId);
      let next: Date | null;
      try {
        next = await this.deps.settleExpiredBlock(userId);
      } catch (error) {
        // No such member: nothing to settle, ever. Anything else is tried again.
        if (error instanceof NotFoundError) continue;
        if (!this.due.has(userId)) this.due.set(userId, expiresAt);
        throw error;
      }
      // Blocked again meanwhile: plan the new block instead.
      this.plan(userId, next);
      settled++;
    }
    return settled;
  }

  /** Planned blocks (tests and metrics). */
  get size(): number {
    return this.due.size;
  }

  private plan(userId: string, expiresAt: Date | null): void {
    if (expiresAt) this.due.set(userId, expiresAt.getTime());
    else this.due.delete(userId);
  }
}
