import type { AutomatedBlockPolicy, OffenceCounter } from '../../domain/moderation/automated-block-policy';
import type { RateDecision, RateLimitRule, RateLimitStore } from '../../domain/moderation/rate-limit';
import { AUTO_BLOCK_TRIGGER_LOCK_MS, MEMORY_RATE_LIMIT_MAX_KEYS } from '../config/limits';

const ALLOWED: RateDecision = { allowed: true };

/**
 * The same sliding windows as RedisRateLimitStore, in this process only: for in-process
 * mode (no REDIS_URL, one instance), so a single development instance still limits.
 * Memory is bounded: windows that ran out are dropped as keys pile up, and past
 * MEMORY_RATE_LIMIT_MAX_KEYS live keys every count starts over.
 */
export class MemoryRateLimitStore implements RateLimitStore, OffenceCounter {
  /** Hit times, oldest first, per key. */
  private readonly logs = new Map<string, { times: number[]; windowMs: number }>();
  /** Refusal markers and offence trigger locks: key → expiry time. */
  private readonly marks = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = MEMORY_RATE_LIMIT_MAX_KEYS,
  ) {}

  async hit(rule: RateLimitRule, subject: string, cost = 1): Promise<RateDecision> {
    if (rule.max <= 0 || cost <= 0) return ALLOWED;
    return this.decide(rule, subject, cost);
  }

  async peek(rule: RateLimitRule, subject: string): Promise<RateDecision> {
    if (rule.max <= 0) return ALLOWED;
    return this.decide(rule, subject, 0);
  }

  async count(userId: string, policy: Pick<AutomatedBlockPolicy, 'offences' | 'windowMs'>): Promise<boolean> {
    if (policy.offences <= 0) return false;
    const lock = `offences:${userId}:lock`;
    if (this.marked(lock)) return false;
    const times = this.window(`offences:${userId}`, policy.windowMs);
    times.push(this.now());
    if (times.length < policy.offences) return false;
    this.logs.delete(`offences:${userId}`);
    this.marks.set(lock, this.now() + AUTO_BLOCK_TRIGGER_LOCK_MS);
    return true;
  }

  async release(userId: string): Promise<void> {
    this.marks.delete(`offences:${userId}:lock`);
  }

  private decide(rule: RateLimitRule, subject: string, cost: number): RateDecision {
    const key = `rate:${rule.name}:${subject}`;
    const times = this.window(key, rule.windowMs);
    const need = Math.max(cost, 1);
    if (times.length + need <= rule.max) {
      for (let i = 0; i < cost; i++) times.push(this.now());
      return ALLOWED;
    }
    const ageOut = times.length + need - rule.max;
    const oldest = ageOut <= times.length ? times[ageOut - 1] : undefined;
    const retryAfterMs = oldest === undefined ? rule.windowMs : Math.max(1, oldest + rule.windowMs - this.now());
    const refusal = `${key}:refused`;
    const firstRefusal = !this.marked(refusal);
    if (firstRefusal) this.marks.set(refusal, this.now() + retryAfterMs);
    return { allowed: false, retryAfterMs, firstRefusal };
  }

  /** The key's hit times still inside the window (created when absent). */
  private window(key: string, windowMs: number): number[] {
    const now = this.now();
    let log = this.logs.get(key);
    if (!log) {
      if (this.logs.size + this.marks.size >= this.maxKeys) this.evict(now);
      log = { times: [], windowMs };
      this.logs.set(key, log);
    }
    log.windowMs = windowMs;
    const firstLive = log.times.findIndex((time) => time > now - windowMs);
    log.times.splice(0, firstLive === -1 ? log.times.length : firstLive);
    return log.times;
  }

  private marked(key: string): boolean {
    const until = this.marks.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.marks.delete(key);
    return false;
  }

  /** Drops what ran out; if that is not enough (a flood of distinct keys), starts over. */
  private evict(now: number): void {
    for (const [key, log] of this.logs) {
      if ((log.times.at(-1) ?? 0) <= now - log.windowMs) this.logs.delete(key);
    }
    for (const [key, until] of this.marks) if (until <= now) this.marks.delete(key);
    if (this.logs.size + this.marks.size >= this.maxKeys) {
      this.logs.clear();
      this.marks.clear();
    }
  }
}
