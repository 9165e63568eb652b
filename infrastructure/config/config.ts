import { defaultInstanceId } from '../logging/logger';
import { DEFAULT_SESSION_SWEEP_INTERVAL_MS, PRESENCE_HEARTBEAT_MS, PRESENCE_TTL_MS } from './limits';

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
}

export interface WardenConfig {
  port: number;
  production: boolean;
  instanceId: string;
  mongodbUri: string | null;
  redisUrl: string | null;
  jwt: JwtConfig;
  sessionSweepIntervalMs: number;
  /** Presence heartbeat and TTL in Redis (docs/moderation-operations.md). */
  presence: { heartbeatMs: number; ttlMs: number };
  /** Origins allowed to open a WebSocket; empty allows any (development). */
  allowedOrigins: string[];
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
    },
    sessionSweepIntervalMs: integer(
      env.SESSION_SWEEP_INTERVAL_MS,
      'SESSION_SWEEP_INTERVAL_MS',
      DEFAULT_SESSION_SWEEP_INTERVAL_MS,
      { min: 100, max: 3_600_000 },
    ),
    presence: presenceTiming(env),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
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

function integer(raw: string | undefined, name: string, fallback: number, range: { min: number; max: number }): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${name} must be an integer from ${range.min} to ${range.max}, got "${raw}"`);
  }
  return value;
}
