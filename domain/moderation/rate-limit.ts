/**
 * Rate limits: what is counted, and the answer a counter gives. The counting itself is
 * an adapter (infrastructure/rate-limit): Redis so a limit holds across every instance of
 * a deployment, memory for a single in-process instance.
 */

/** The limits Warden enforces. The name is the audit entry's reason and `extensions.limit`. */
export const RATE_LIMIT_NAMES = ['MEMBER_MUTATIONS', 'CONNECTION_INITS_PER_IP', 'FAILED_AUTHS_PER_IP'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

export interface RateLimitRule {
  name: RateLimitName;
  /** Most hits within `windowMs`; 0 switches the limit off. */
  max: number;
  windowMs: number;
}

export type RateDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** How long until the hit would be allowed, at least 1 ms. */
      retryAfterMs: number;
      /**
       * True for the first refusal of this rule and subject until the refusal ends: lets
       * the caller audit a flood once instead of once per refused request.
       */
      firstRefusal: boolean;
    };

/** Counters of a sliding window, shared by whoever shares the store. */
export interface RateLimitStore {
  /**
   * Counts `cost` hits of `subject` against `rule` when they fit, else refuses and counts
   * nothing (a refused client is let through again as the window slides).
   */
  hit(rule: RateLimitRule, subject: string, cost?: number): Promise<RateDecision>;
  /** Whether one more hit would fit, counting nothing. */
  peek(rule: RateLimitRule, subject: string): Promise<RateDecision>;
}

const REFUSAL_MESSAGES: Record<RateLimitName, string> = {
  MEMBER_MUTATIONS: 'Too many changes in a short time',
  CONNECTION_INITS_PER_IP: 'Too many connection attempts from this address',
  FAILED_AUTHS_PER_IP: 'Too many failed authentications from this address',
};

/** A limit refused the request: RATE_LIMITED, HTTP 429 or close code 4429. */
export class RateLimitedError extends Error {
  readonly retryAfterSeconds: number;
  constructor(
    readonly limit: RateLimitName,
    retryAfterMs: number,
  ) {
    const seconds = retryAfterSecondsOf(retryAfterMs);
    super(`${REFUSAL_MESSAGES[limit]}; retry after ${seconds} s`);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = seconds;
  }
}

/** Whole seconds a client must wait (Retry-After is in seconds), never 0. */
export function retryAfterSecondsOf(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
