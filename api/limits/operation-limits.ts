import type { OperationLimitConfig } from '../../infrastructure/config/config';
import type { Logger } from '../../infrastructure/logging/logger';
import { ipSubject } from '../rate-limit/client-ip';
import { OperationDeadline } from './operation-deadline';
import { OperationLimitError, type OperationLimitName } from './operation-limit-error';


/** One admitted operation: its deadline, and `end` to give its slots back (idempotent). */
export interface OperationRun {
  readonly deadline: OperationDeadline;
  end(): void;
}

/**
 * Bounds the work one caller can have in flight on this instance, on HTTP and WebSocket
 * alike: concurrent queries and mutations per member and per address, a deadline for each,
 * and the size of its result. Counted in memory: the load they protect is this process's.
 * Subscriptions are bounded by their own caps (MAX_SUBSCRIPTIONS_PER_SOCKET).
 */
export class OperationLimits {
  private readonly byMember = new Map<string, number>();
  private readonly byIp = new Map<string, number>();

  constructor(
    private readonly config: OperationLimitConfig,
    private readonly log: Logger,
  ) {}

  /** Admits an operation of `userId` from `ip`, or says which limit refuses it. */
  begin(who: { userId: string; ip: string | null; correlationId: string }): OperationRun | OperationLimitError {
    const ip = who.ip ? ipSubject(who.ip) : null;
    const refused =
      this.full(this.byMember, who.userId, this.config.perMember, 'CONCURRENT_OPERATIONS_PER_MEMBER') ??
      (ip ? this.full(this.byIp, ip, this.config.perIp, 'CONCURRENT_OPERATIONS_PER_IP') : null);
    if (refused) {
      this.log.info(
        { action: 'operation-refused', userId: who.userId, ip: who.ip, limit: refused.limit, correlationId: who.correlationId },
        refused.message,
      );
      return refused;
    }
    increment(this.byMember, who.userId, 1);
    if (ip) increment(this.byIp, ip, 1);
    const deadline = new OperationDeadline(this.config.timeoutMs);
    let ended = false;
    return {
      deadline,
      end: () => {
        if (ended) return;
        ended = true;
        deadline.end();
        increment(this.byMember, who.userId, -1);
        if (ip) increment(this.byIp, ip, -1);
      },
    };
  }

  /**
   * Ends `run` and says whether its result may go out: the timeout's refusal when the
   * deadline passed, MAX_RESPONSE_BYTES when the result is larger, else null.
   */
  finish(run: OperationRun, result: unknown): OperationLimitError | null {
    const timedOut = run.deadline.expired;
    run.end();
    if (timedOut) return run.deadline.error();
    const bytes = Buffer.byteLength(JSON.stringify(result) ?? '');
    if (bytes <= this.config.maxResponseBytes) return null;
    return new OperationLimitError(
      'MAX_RESPONSE_BYTES',
      `The response would be ${bytes} bytes, over the limit of ${this.config.maxResponseBytes}; ask for smaller pages or fewer fields`,
    );
  }

  /** Operations running now (tests). */
  get inFlight(): number {
    let count = 0;
    for (const running of this.byMember.values()) count += running;
    return count;
  }

  private full(counts: Map<string, number>, key: string, max: number, limit: OperationLimitName): OperationLimitError | null {
    if (max === 0 || (counts.get(key) ?? 0) < max) return null;
    const whose = limit === 'CONCURRENT_OPERATIONS_PER_MEMBER' ? 'member' : 'address';
    return new OperationLimitError(limit, `Too many operations in progress for this ${whose} (at most ${max}); retry when one has finished`);
  }
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
