import { findExecutable } from './executables';
import type { Restartable } from './resolve-mongo';
import { startRedisServer } from './redis-server';
import type { ServiceLog } from './service-log';

export interface ResolvedRedis {
  /** `redis://…` */
  readonly url: string;
  readonly kind: 'external' | 'spawned';
  /** Stops a server this process started; a no-op for REDIS_URL. */
  stop(): Promise<void>;
  /** Present when this process owns the server. */
  readonly restartable?: Restartable;
}

const FIX = 'run `npm run provision` (or `sudo apt-get install -y redis-server`), or set REDIS_URL';

/**
 * Finds Redis: REDIS_URL, else a spawned redis-server. When neither works, returns null with a
 * warning if `allowInProcess` (pub/sub then only reaches this one instance), else throws.
 */
export async function resolveRedis(log: ServiceLog, options: { allowInProcess: false }): Promise<ResolvedRedis>;
export async function resolveRedis(log: ServiceLog, options: { allowInProcess: boolean }): Promise<ResolvedRedis | null>;
export async function resolveRedis(log: ServiceLog, options: { allowInProcess: boolean }): Promise<ResolvedRedis | null> {
  const external = process.env.REDIS_URL?.trim();
  if (external) {
    log.info('Redis: using REDIS_URL');
    return { url: external, kind: 'external', stop: async () => undefined };
  }

  let problem: string;
  const binary = findExecutable('redis-server');
  if (binary) {
    try {
      const server = await startRedisServer(binary);
      log.info(`Redis: redis-server at ${server.url}`);
      return { url: server.url, kind: 'spawned', stop: () => server.dispose(), restartable: server };
    } catch (err) {
      problem = `redis-server failed to start: ${err instanceof Error ? err.message : String(err)}`;
    }
  } else {
    problem = 'redis-server is not on PATH and REDIS_URL is unset';
  }

  if (!options.allowInProcess) throw new Error(`No Redis available: ${problem}. To fix: ${FIX}.`);
  log.warn(`Redis unavailable (${problem}): in-process pub/sub serves this single instance only; to fix: ${FIX}`);
  return null;
}
