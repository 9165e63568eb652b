import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { AutomatedBlockPolicy, OffenceCounter } from '../../domain/moderation/automated-block-policy';
import type { RateDecision, RateLimitRule, RateLimitStore } from '../../domain/moderation/rate-limit';
import { AUTO_BLOCK_TRIGGER_LOCK_MS, RATE_LIMIT_REDIS_TIMEOUT_MS } from '../config/limits';
import type { Logger } from '../logging/logger';

/**
 * A sliding-window log: one sorted-set member per counted hit, scored by Redis's own
 * clock (instances' clocks may disagree; Redis's is one). Hits that do not fit are not
 * counted, so a client that keeps hammering gets through again as old hits age out, and
 * a set never holds more than `max` members. Atomic: no two instances can both take the
 * last free slot.
 *
 * KEYS: the hit log, the refusal marker. ARGV: max, windowMs, cost (0 = peek), hit id.
 * Returns { allowed 0|1, retryAfterMs, firstRefusal 0|1 }.
 */
const HIT_SCRIPT = `
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local need = math.max(cost, 1)
if count + need <= max then
  if cost > 0 then
    for i = 1, cost do redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. i) end
    redis.call('PEXPIRE', KEYS[1], window)
  end
  return {1, 0, 0}
end
local retry = window
local ageOut = count + need - max
if ageOut <= count then
  local entry = redis.call('ZRANGE', KEYS[1], ageOut - 1, ageOut - 1, 'WITHSCORES')
  retry = math.max(1, tonumber(entry[2]) + window - now)
end
local first = 0
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', retry) then first = 1 end
return {0, retry, first}
`;

/**
 * Counts one offence; the one that reaches the threshold empties the log and sets the
 * trigger lock, both atomically, so exactly one caller in the deployment sees 1. While
 * the lock stands (the block is being placed) offences are not counted.
 *
 * KEYS: the offence log, the trigger lock. ARGV: threshold, windowMs, offence id, lockMs.
 */
const OFFENCE_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
  return 1
end
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

const ALLOWED: RateDecision = { allowed: true };

export interface RedisRateLimitStoreOptions {
  /** A command connection (not a subscriber), without an offline queue so an outage fails fast. */
  redis: Redis;
  /** The deployment's key prefix: instances sharing it share the counts. */
  prefix: string;
  log: Logger;
  /** @default RATE_LIMIT_REDIS_TIMEOUT_MS */
  timeoutMs?: number;
}

/**
 * Rate limits and offence counts in Redis, shared by every instance of a deployment.
 * When Redis does not answer in time it fails open: the request goes through, and one
 * warning is logged per outage (availability over limiting).
 */
export class RedisRateLimitStore implements RateLimitStore, OffenceCounter {
  private readonly timeoutMs: number;
  private failingSince: number | null = null;

  constructor(private readonly options: RedisRateLimitStoreOptions) {
    this.timeoutMs = options.timeoutMs ?? RATE_LIMIT_REDIS_TIMEOUT_MS;
  }

  hit(rule: RateLimitRule, subject: string, cost = 1): Promise<RateDecision> {
    if (rule.max <= 0 || cost <= 0) return Promise.resolve(ALLOWED);
    return this.decide(rule, subject, cost);
  }

  peek(rule: RateLimitRule, subject: string): Promise<RateDecision> {
    if (rule.max <= 0) return Promise.resolve(ALLOWED);
    return this.decide(rule, subject, 0);
  }

  async count(userId: string, policy: Pick<AutomatedBlockPolicy, 'offences' | 'windowMs'>): Promise<boolean> {
    if (policy.offences <= 0) return false;
    const reply = await this.run('offence', OFFENCE_SCRIPT, this.offenceKeys(userId), [
      policy.offences,
      policy.windowMs,
      randomUUID(),
      AUTO_BLOCK_TRIGGER_LOCK_MS,
    ]);
    return reply === 1;
  }

  async release(userId: string): Promise<void> {
    await this.guard('offence-release', () => this.options.redis.del(this.offenceKeys(userId)[1]));
  }

  private async decide(rule: RateLimitRule, subject: string, cost: number): Promise<RateDecision> {
    const base = `${this.options.prefix}rate:{${rule.name}:${subject}}`;
    const reply = await this.run(rule.name, HIT_SCRIPT, [base, `${base}:refused`], [rule.max, rule.windowMs, cost, randomUUID()]);
    if (!Array.isArray(reply)) return ALLOWED;
    const [allowed, retryAfterMs, first] = reply.map(Number);
    return allowed === 1 ? ALLOWED : { allowed: false, retryAfterMs: retryAfterMs ?? rule.windowMs, firstRefusal: first === 1 };
  }

  /** Cluster-safe: the hash tag puts both keys of a member in one slot. */
  private offenceKeys(userId: string): [string, string] {
    const base = `${this.options.prefix}offences:{${userId}}`;
    return [base, `${base}:lock`];
  }

  /** EVALSHA, loading the script on NOSCRIPT (a restarted or failed-over Redis). */
  private run(operation: string, script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    const { redis } = this.options;
    const sha = sha1(script);
    return this.guard(operation, async () => {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return redis.eval(script, keys.length, ...keys, ...args);
      }
    });
  }

  /** Runs a Redis call within the timeout; on failure logs (once per outage) and resolves null. */
  private async guard<T>(operation: string, call: () => Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      const value = await Promise.race([call(), timeout]);
      if (this.failingSince !== null) {
        this.options.log.info(
          { action: 'rate-limit-restored', downForMs: Date.now() - this.failingSince },
          'redis answers again: rate limits and offence counts are enforced again',
        );
        this.failingSince = null;
      }
      return value;
    } catch (error) {
      if (this.failingSince === null) {
        this.failingSince = Date.now();
        this.options.log.warn(
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

const shaCache = new Map<string, string>();
function sha1(script: string): string {
  let sha = shaCache.get(script);
  if (!sha) shaCache.set(script, (sha = createHash('sha1').update(script).digest('hex')));
  return sha;
}
