import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/logger';

/**
 * Options shared by every Redis client. No offline queue: while Redis is down a publish
 * fails at once instead of holding a mutation hostage; MongoDB already has the truth and
 * the session sweep enforces it. Reconnects forever with a capped back-off.
 */
export function redisOptions(role: 'publisher' | 'subscriber' | 'commands'): RedisOptions {
  return {
    // The subscriber queues its SUBSCRIBEs until connected (and ioredis resubscribes
    // after a reconnect); the others fail fast.
    enableOfflineQueue: role === 'subscriber',
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    lazyConnect: false,
  };
}

/** A client whose connection events are logged once per change. */
export function createRedisClient(url: string, role: 'publisher' | 'subscriber' | 'commands', log: Logger): Redis {
  const client = new Redis(url, redisOptions(role));
  let up = false;
  client.on('ready', () => {
    if (!up) log.info({ action: 'redis-up', role }, 'redis connected');
    up = true;
  });
  client.on('error', (error) => {
    if (up) log.warn({ action: 'redis-down', role, err: error }, 'redis connection lost');
    up = false;
  });
  client.on('end', () => {
    up = false;
  });
  return client;
}

/** Resolves when the client is ready, or after `timeoutMs` (it keeps reconnecting). */
export function whenReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}
