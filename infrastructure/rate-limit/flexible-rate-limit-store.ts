import type Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
  type IRateLimiterOptions,
} from 'rate-limiter-flexible';
import type { AutomatedBlockPolicy, OffenceCounter } from '../../domain/moderation/automated-block-policy';
import type { RateDecision, RateLimitRule, RateLimitStore } from '../../domain/moderation/rate-limit';
import {
  AUTO_BLOCK_TRIGGER_LOCK_MS,
  MEMORY_RATE_LIMIT_MAX_KEYS,
  OFFENCE_COUNT_REDIS_TIMEOUT_MS,
  RATE_LIMIT_REDIS_TIMEOUT_MS,
} from '../config/limits';
import type { Logger } from '../logging/logger';

const ALLOWED: RateDecision = { allowed: true };

/** Counters with rate-limiter-flexible's API, in Redis or in memory. */
type LimiterFactory = (options: IRateLimiterOptions) => RateLimiterAbstract;

export interface RedisRateLimitOptions {
  /** A command connection (not a subscriber), without an offline queue so an outage fails fast. */
  redis: Redis;
  /** The deployment's key prefix: instances sharing it share the counts. */
  prefix: string;
  log: Logger;
  /** @default RATE_LIMIT_REDIS_TIMEOUT_MS */
  timeoutMs?: number;
}

/**
 * Rate limits and offence counts on rate-limiter-flexible: fixed windows of whole seconds
 * (a window is rounded up to the next second), atomic in Redis across every instance of a
 * deployment, or in this process for in-process mode. What Warden adds on top:
 *
 * - a refused hit is not counted (its points are given back), so a client that keeps
 *   hammering gets through again when the window ends;
 * - `firstRefusal`, from a one-point marker per rule and subject that lasts until the
 *   refusal ends, so a flood is audited once;
 * - offence counting with a trigger lock: exactly one caller deployment-wide sees the
 *   count reach the threshold, and the key stays blocked while the block is placed;
 * - fail open: when Redis does not answer within `timeoutMs` the request goes through,
 *   and one warning is logged per outage (availability over limiting).
 */
export class FlexibleRateLimitStore implements RateLimitStore, OffenceCounter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly timeoutMs: number;
  private failingSince: number | null = null;
  /** In memory only: distinct keys since the last start-over (bounds a flood of subjects). */
  private keysSeen = new Set<string>();

  private constructor(
    private readonly create: LimiterFactory,
    private readonly log: Logger | null,
    timeoutMs: number,
    private readonly maxKeys: number | null,
  ) {
    this.timeoutMs = timeoutMs;
  }

  /** Shared by every instance on the same Redis and prefix. */
  static redis(options: RedisRateLimitOptions): FlexibleRateLimitStore {
    const { redis, prefix } = options;
    return new FlexibleRateLimitStore(
      (limiter) =>
        new RateLimiterRedis({
          ...limiter,
          keyPrefix: `${prefix}${limiter.keyPrefix}`,
          storeClient: redis,
          rejectIfRedisNotReady: true,
        }),
      options.log,
      options.timeoutMs ?? RATE_LIMIT_REDIS_TIMEOUT_MS,
      null,
    );
  }

  /**
   * This process only, for in-process mode (one instance). Past `maxKeys` distinct keys
   * every count starts over, so a flood of distinct subjects cannot grow memory without bound.
   */
  static memory(maxKeys = MEMORY_RATE_LIMIT_MAX_KEYS): FlexibleRateLimitStore {
    return new FlexibleRateLimitStore((limiter) => new RateLimiterMemory(limiter), null, Number.POSITIVE_INFINITY, maxKeys);
  }

  /** Distinct keys counted since the last start-over (memory store only). */
  get keyCount(): number {
    return this.keysSeen.size;
  }

  async hit(rule: RateLimitRule, subject: string, cost = 1): Promise<RateDecision> {
    if (rule.max <= 0 || cost <= 0) return ALLOWED;
    // Never fits: refused without counting, for a whole window.
    if (cost > rule.max) return this.refused(rule, subject, rule.windowMs);
    const key = this.key(subject);
    const limiter = this.limiter(`rate:${rule.name}:`, rule.max, rule.windowMs);
    const outcome = await this.guard(rule.name, async () => {
      try {
        await limiter.consume(key, cost);
        return null;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // Refused hits are not counted: give the points back.
        await limiter.reward(key, cost);
        return rejection.msBeforeNext;
      }
    });
    return outcome === null || outcome === undefined ? ALLOWED : this.refused(rule, subject, outcome);
  }

  async peek(rule: RateLimitRule, subject: string): Promise<RateDecision> {
    if (rule.max <= 0) return ALLOWED;
    const key = this.key(subject);
    const limiter = this.limiter(`rate:${rule.name}:`, rule.max, rule.windowMs);
    const state = await this.guard(rule.name, () => limiter.get(key));
    if (!state || state.consumedPoints + 1 <= rule.max) return ALLOWED;
    return this.refused(rule, subject, state.msBeforeNext);
  }

  /**
   * One atomic increment: the limiter allows `offences - 1` and, at the offence that
   * exceeds them, blocks the key for AUTO_BLOCK_TRIGGER_LOCK_MS. Exactly one caller
   * deployment-wide sees the count equal the threshold (the trigger); later offences see
   * more and count for nothing until `release` deletes the key (or the lock runs out),
   * and counting starts over from zero.
   */
  async count(userId: string, policy: Pick<AutomatedBlockPolicy, 'offences' | 'windowMs'>): Promise<boolean> {
    if (policy.offences <= 0) return false;
    const key = this.key(userId);
    const offences = this.offenceLimiter(policy);
    const triggered = await this.guard(
      'offence',
      async () => {
      try {
        await offences.consume(key, 1);
        return false;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return rejection.consumedPoints === policy.offences;
      }
      },
      Math.max(this.timeoutMs, OFFENCE_COUNT_REDIS_TIMEOUT_MS),
    );
    return triggered === true;
  }

  async release(userId: string): Promise<void> {
    const key = this.key(userId);
    const offenceLimiters = [...this.limiters.entries()].filter(([id]) => id.startsWith('offences:')).map(([, limiter]) => limiter);
    await this.guard('offence-release', () => Promise.all(offenceLimiters.map((limiter) => limiter.delete(key))));
  }

  /** A refusal, `firstRefusal` when its marker was not set yet (it then lasts `retryAfterMs`). */
  private async refused(rule: RateLimitRule, subject: string, retryAfterMs: number): Promise<RateDecision> {
    const wait = Math.max(1, Math.round(retryAfterMs));
    const key = this.key(subject);
    const marker = this.limiter(`rate:${rule.name}:refused:`, 1, rule.windowMs);
    const first = await this.guard(rule.name, async () => {
      try {
        await marker.consume(key, 1, { customDuration: Math.max(1, Math.ceil(wait / 1000)) });
        return true;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return false;
        throw rejection;
      }
    });
    return { allowed: false, retryAfterMs: wait, firstRefusal: first !== false };
  }

  private offenceLimiter(policy: Pick<AutomatedBlockPolicy, 'offences' | 'windowMs'>): RateLimiterAbstract {
    return this.limiter('offences:', policy.offences - 1, policy.windowMs, AUTO_BLOCK_TRIGGER_LOCK_MS);
  }

  /** One limiter per (prefix, points, window, block), made on first use. */
  private limiter(keyPrefix: string, points: number, windowMs: number, blockMs = 0): RateLimiterAbstract {
    const duration = Math.max(1, Math.ceil(windowMs / 1000));
    const blockDuration = Math.ceil(blockMs / 1000);
    const id = `${keyPrefix}${points}:${duration}:${blockDuration}`;
    let limiter = this.limiters.get(id);
    if (!limiter) this.limiters.set(id, (limiter = this.create({ keyPrefix, points, duration, blockDuration })));
    return limiter;
  }

  private key(subject: string): string {
    if (this.maxKeys !== null) {
      if (!this.keysSeen.has(subject) && this.keysSeen.size >= this.maxKeys) {
        // Start over: new limiters, the old ones' entries expire by their own timers.
        this.limiters.clear();
        this.keysSeen = new Set();
      }
      this.keysSeen.add(subject);
    }
    return subject;
  }

  /** Runs a store call within the timeout; on failure logs (once per outage) and resolves null. */
  private async guard<T>(operation: string, call: () => Promise<T>, timeoutMs = this.timeoutMs): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = Number.isFinite(timeoutMs)
        ? new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
          })
        : null;
      const value = await (timeout ? Promise.race([call(), timeout]) : call());
      if (this.failingSince !== null) {
        this.log?.info(
          { action: 'rate-limit-restored', downForMs: Date.now() - this.failingSince },
          'redis answers again: rate limits and offence counts are enforced again',
        );
        this.failingSince = null;
      }
      return value;
    } catch (error) {
      if (this.failingSince === null) {
        this.failingSince = Date.now();
        this.log?.warn(
          { action: 'rate-limit-fail-open', operation, err: error },
          'redis unreachable: rate limits and automated blocks are suspended (failing open) until it answers',
        );
      }
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
