import { defaultInstanceId } from '../logging/logger';
import { DEFAULT_SESSION_SWEEP_INTERVAL_MS, PRESENCE_HEARTBEAT_MS, PRESENCE_TTL_MS } from './limits';
import {
  MAX_SOCKETS_PER_MEMBER,
  MAX_SUBSCRIPTIONS_PER_SOCKET,
  JWT_CLOCK_SKEW_SECONDS,
  JWT_MAX_LIFETIME_SECONDS,
  MAX_CONCURRENT_OPERATIONS_PER_IP,
  MAX_CONCURRENT_OPERATIONS_PER_MEMBER,
  MAX_RESPONSE_BYTES,
  OPERATION_TIMEOUT_MS,
  AUTO_BLOCK_DURATIONS,
  AUTO_BLOCK_OFFENCES,
  AUTO_BLOCK_USER_MESSAGE,
  AUTO_BLOCK_WINDOW_MS,
  CONNECTION_INITS_PER_IP_PER_MINUTE,
  FAILED_AUTHS_PER_IP_PER_MINUTE,
  MEMBER_MUTATIONS_PER_MINUTE,
  RATE_LIMIT_WINDOW_MS,
  TRUSTED_PROXY_HOPS,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_BASE_MS,
} from './limits';
import type { AutomatedBlockPolicy } from '../../domain/moderation/automated-block-policy';
import { BLOCK_DURATIONS, type BlockDuration } from '../../domain/user/block';
import { TEXT_LIMITS } from '../../domain/shared/text-limits';
import { requireText } from '../../domain/shared/text';

/**
 * Development-only signing secret. Public on purpose: it lets `npm run token` mint tokens
 * for a local server, and production refuses to start without a real JWT_SECRET.
 */
export const DEV_JWT_SECRET = 'warden-development-secret-not-for-production';

export interface JwtConfig {
  secret: string;
  issuer: string | null;
  audience: string | null;
  /** True when no JWT_SECRET was given and the public development secret is in use. */
  usesDevSecret: boolean;
  /** Longest accepted `exp − iat`, in seconds (JWT_MAX_LIFETIME_SECONDS). */
  maxLifetimeSeconds: number;
  /** How far in the future `iat` may be, in seconds (JWT_CLOCK_SKEW_SECONDS). */
  clockSkewSeconds: number;
}

export interface WardenConfig {
  port: number;
  production: boolean;
  instanceId: string;
  mongodbUri: string | null;
  redisUrl: string | null;
  jwt: JwtConfig;
  sessionSweepIntervalMs: number;
  /**
   * Benchmarks only (CALLER_CACHE_MS): an HTTP caller read is reused for this long, which
   * delays the effect of a block on HTTP by as much. 0 (the default): every request reads.
   */
  callerCacheMs: number;
  /**
   * COMPACT_FRAGMENTED_HEAP (default true): when the old generation is fragmented, V8
   * compacts it at its next full collection (infrastructure/jobs/heap-compaction.ts).
   */
  compactFragmentedHeap: boolean;
  /** Presence heartbeat and TTL in Redis (docs/moderation-operations.md). */
  presence: { heartbeatMs: number; ttlMs: number };
  /** Origins allowed to open a WebSocket; empty allows any (development). */
  allowedOrigins: string[];
  /** Rate limits (docs/moderation-operations.md); a max of 0 switches that limit off. */
  rateLimits: RateLimitConfig;
  /** When members are blocked automatically (docs/moderation-operations.md). */
  automatedBlock: AutomatedBlockPolicy;
  /** Port of `GET /metrics` (METRICS_PORT); null: no metrics endpoint. */
  metricsPort: number | null;
  /** Where moderation events are POSTed and the key that signs them (docs/webhooks.md); null: no webhooks. */
  webhook: WebhookConfig | null;
  /** Work one caller may have in flight (docs/threat-model.md). */
  operations: OperationLimitConfig;
}

export interface WebhookConfig {
  url: string;
  secret: string;
  /** Tries before dead-lettering (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** First retry delay, doubled at each try (WEBHOOK_RETRY_BASE_MS). */
  retryBaseMs: number;
}

/** See MAX_CONCURRENT_OPERATIONS_PER_MEMBER and its neighbours in limits.ts. */
export interface OperationLimitConfig {
  perMember: number;
  perIp: number;
  timeoutMs: number;
  maxResponseBytes: number;
  /** MAX_SUBSCRIPTIONS_PER_SOCKET */
  subscriptionsPerSocket: number;
  /** MAX_SOCKETS_PER_MEMBER */
  socketsPerMember: number;
}

export interface RateLimitConfig {
  windowMs: number;
  memberMutations: number;
  connectionInits: number;
  failedAuths: number;
  /** Proxies that append to X-Forwarded-For in front of Warden. */
  trustedProxyHops: number;
}

export class ConfigError extends Error {}

/** Reads the contract's environment variables; throws ConfigError on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WardenConfig {
  const production = env.NODE_ENV === 'production';
  const secret = env.JWT_SECRET?.trim() || null;
  if (production && !secret) {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production; refusing to start.');
  }
  return {
    port: integer(env.PORT, 'PORT', 4000, { min: 0, max: 65_535 }),
    production,
    instanceId: env.INSTANCE_ID?.trim() || defaultInstanceId(),
    mongodbUri: env.MONGODB_URI?.trim() || null,
    redisUrl: env.REDIS_URL?.trim() || null,
    jwt: {
      secret: secret ?? DEV_JWT_SECRET,
      issuer: env.JWT_ISSUER?.trim() || null,
      audience: env.JWT_AUDIENCE?.trim() || null,
      usesDevSecret: !secret,
      maxLifetimeSeconds: integer(env.JWT_MAX_LIFETIME_SECONDS, 'JWT_MAX_LIFETIME_SECONDS', JWT_MAX_LIFETIME_SECONDS, {
        min: 60,
        max: 365 * 86_400,
      }),
      clockSkewSeconds: integer(env.JWT_CLOCK_SKEW_SECONDS, 'JWT_CLOCK_SKEW_SECONDS', JWT_CLOCK_SKEW_SECONDS, { min: 0, max: 3_600 }),
    },
    sessionSweepIntervalMs: integer(
      env.SESSION_SWEEP_INTERVAL_MS,
      'SESSION_SWEEP_INTERVAL_MS',
      DEFAULT_SESSION_SWEEP_INTERVAL_MS,
      { min: 100, max: 3_600_000 },
    ),
    callerCacheMs: integer(env.CALLER_CACHE_MS, 'CALLER_CACHE_MS', 0, { min: 0, max: 60_000 }),
    compactFragmentedHeap: flag(env.COMPACT_FRAGMENTED_HEAP, 'COMPACT_FRAGMENTED_HEAP', true),
    presence: presenceTiming(env),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    rateLimits: rateLimitConfig(env),
    automatedBlock: automatedBlockPolicy(env),
    metricsPort: env.METRICS_PORT?.trim() ? integer(env.METRICS_PORT, 'METRICS_PORT', 0, { min: 0, max: 65_535 }) : null,
    webhook: webhookConfig(env),
    operations: operationLimitConfig(env),
  };
}

/** Both or neither: a URL without a secret would send unsigned events. */
function webhookConfig(env: NodeJS.ProcessEnv): WebhookConfig | null {
  const url = env.WEBHOOK_URL?.trim() || null;
  const secret = env.WEBHOOK_SECRET?.trim() || null;
  if (!url && !secret) return null;
  if (!url || !secret) throw new ConfigError('WEBHOOK_URL and WEBHOOK_SECRET must be set together');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`WEBHOOK_URL must be an http(s) URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`WEBHOOK_URL must be an http(s) URL, got "${url}"`);
  }
  return {
    url,
    secret,
    maxAttempts: integer(env.WEBHOOK_MAX_ATTEMPTS, 'WEBHOOK_MAX_ATTEMPTS', WEBHOOK_MAX_ATTEMPTS, { min: 1, max: 1_000 }),
    retryBaseMs: integer(env.WEBHOOK_RETRY_BASE_MS, 'WEBHOOK_RETRY_BASE_MS', WEBHOOK_RETRY_BASE_MS, { min: 10, max: 3_600_000 }),
  };
}

function operationLimitConfig(env: NodeJS.ProcessEnv): OperationLimitConfig {
  const count = (name: string, fallback: number) => integer(env[name], name, fallback, { min: 0, max: 100_000 });
  return {
    perMember: count('MAX_CONCURRENT_OPERATIONS_PER_MEMBER', MAX_CONCURRENT_OPERATIONS_PER_MEMBER),
    perIp: count('MAX_CONCURRENT_OPERATIONS_PER_IP', MAX_CONCURRENT_OPERATIONS_PER_IP),
    timeoutMs: integer(env.OPERATION_TIMEOUT_MS, 'OPERATION_TIMEOUT_MS', OPERATION_TIMEOUT_MS, { min: 100, max: 600_000 }),
    maxResponseBytes: integer(env.MAX_RESPONSE_BYTES, 'MAX_RESPONSE_BYTES', MAX_RESPONSE_BYTES, { min: 1_024, max: 1 << 30 }),
    subscriptionsPerSocket: integer(env.MAX_SUBSCRIPTIONS_PER_SOCKET, 'MAX_SUBSCRIPTIONS_PER_SOCKET', MAX_SUBSCRIPTIONS_PER_SOCKET, {
      min: 1,
      max: 10_000,
    }),
    socketsPerMember: integer(env.MAX_SOCKETS_PER_MEMBER, 'MAX_SOCKETS_PER_MEMBER', MAX_SOCKETS_PER_MEMBER, { min: 1, max: 10_000 }),
  };
}

function rateLimitConfig(env: NodeJS.ProcessEnv): RateLimitConfig {
  const count = (name: string, fallback: number) => integer(env[name], name, fallback, { min: 0, max: 1_000_000 });
  return {
    windowMs: integer(env.RATE_LIMIT_WINDOW_MS, 'RATE_LIMIT_WINDOW_MS', RATE_LIMIT_WINDOW_MS, { min: 100, max: 86_400_000 }),
    memberMutations: count('RATE_LIMIT_MEMBER_MUTATIONS', MEMBER_MUTATIONS_PER_MINUTE),
    connectionInits: count('RATE_LIMIT_CONNECTION_INITS', CONNECTION_INITS_PER_IP_PER_MINUTE),
    failedAuths: count('RATE_LIMIT_FAILED_AUTHS', FAILED_AUTHS_PER_IP_PER_MINUTE),
    trustedProxyHops: integer(env.TRUSTED_PROXY_HOPS, 'TRUSTED_PROXY_HOPS', TRUSTED_PROXY_HOPS, { min: 0, max: 10 }),
  };
}

function automatedBlockPolicy(env: NodeJS.ProcessEnv): AutomatedBlockPolicy {
  const rawDurations = env.AUTO_BLOCK_DURATIONS?.trim();
  const durations = rawDurations ? rawDurations.split(',').map((item) => item.trim()) : [...AUTO_BLOCK_DURATIONS];
  for (const duration of durations) {
    if (!BLOCK_DURATIONS.includes(duration as BlockDuration)) {
      throw new ConfigError(`AUTO_BLOCK_DURATIONS must list ${BLOCK_DURATIONS.join(', ')}; got "${duration}"`);
    }
  }
  let userMessage: string;
  try {
    // The block itself checks it again; checking here refuses to start instead of failing every automated block.
    userMessage = requireText(env.AUTO_BLOCK_USER_MESSAGE?.trim() || AUTO_BLOCK_USER_MESSAGE, {
      field: 'AUTO_BLOCK_USER_MESSAGE',
      min: 1,
      max: TEXT_LIMITS.userMessage,
    });
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  return {
    offences: integer(env.AUTO_BLOCK_OFFENCES, 'AUTO_BLOCK_OFFENCES', AUTO_BLOCK_OFFENCES, { min: 0, max: 10_000 }),
    windowMs: integer(env.AUTO_BLOCK_WINDOW_MS, 'AUTO_BLOCK_WINDOW_MS', AUTO_BLOCK_WINDOW_MS, { min: 1_000, max: 30 * 86_400_000 }),
    durations: durations as BlockDuration[],
    userMessage,
  };
}

/** A TTL under two heartbeats would let one late beat make a live instance vanish. */
function presenceTiming(env: NodeJS.ProcessEnv): WardenConfig['presence'] {
  const heartbeatMs = integer(env.PRESENCE_HEARTBEAT_MS, 'PRESENCE_HEARTBEAT_MS', PRESENCE_HEARTBEAT_MS, {
    min: 100,
    max: 60_000,
  });
  const ttlMs = integer(env.PRESENCE_TTL_MS, 'PRESENCE_TTL_MS', PRESENCE_TTL_MS, { min: 200, max: 300_000 });
  if (ttlMs < 2 * heartbeatMs) {
    throw new ConfigError(`PRESENCE_TTL_MS (${ttlMs}) must be at least twice PRESENCE_HEARTBEAT_MS (${heartbeatMs})`);
  }
  return { heartbeatMs, ttlMs };
}

function flag(raw: string | undefined, name: string, fallback: boolean): boolean {
  const value = raw?.trim().toLowerCase();
  if (!value) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function integer(raw: string | undefined, name: string, fallback: number, range: { min: number; max: number }): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${name} must be an integer from ${range.min} to ${range.max}, got "${raw}"`);
  }
  return value;
}
