import { join } from 'node:path';
import { ConfigError, loadConfig } from '../infrastructure/config/config';
import { SHUTDOWN_GRACE_MS } from '../infrastructure/config/limits';
import { startHeapCompaction } from '../infrastructure/jobs/heap-compaction';
import { createLogger } from '../infrastructure/logging/logger';
import { resolveMongo } from '../infrastructure/services/resolve-mongo';
import { resolveRedis } from '../infrastructure/services/resolve-redis';
import { reportMemoryOnSignal } from './memory-report';
import { startWarden } from './start-warden';

/** `npm start`: the API with embedded defaults for whatever is not configured. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.instanceId);
  if (config.compactFragmentedHeap) startHeapCompaction(log);
  const mongo = await resolveMongo(log);
  const redis = await resolveRedis(log, { allowInProcess: true });
  const warden = await startWarden({
    config,
    mongoUri: withDefaultDatabase(mongo.uri),
    redisUrl: redis?.url ?? null,
    redisPrefix: process.env.REDIS_KEY_PREFIX ?? 'warden:',
    // Built by `npm run build`; `npm start` rebuilds it first when the sources changed.
    webDistDir: join(__dirname, '..', 'dist', 'web'),
    log,
  });
  if (config.jwt.usesDevSecret) {
    log.warn(
      { action: 'dev-secret' },
      `JWT_SECRET is unset: using the public development secret. Get a token with: npm run token -- --sub alice [--admin], or sign in at /dev/sign-in`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ action: 'shutdown', signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    await warden.stop().catch((error: unknown) => log.error({ err: error }, 'error while stopping'));
    await redis?.stop().catch(() => undefined);
    await mongo.stop().catch(() => undefined);
    clearTimeout(force);
    process.exit(0);
  };
  reportMemoryOnSignal(log);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason, action: 'unhandled-rejection' }, 'unhandled rejection'));
}

/** An embedded server's URI names no database; Warden's data goes to `warden`, not `test`. */
function withDefaultDatabase(uri: string): string {
  const url = new URL(uri);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/warden';
  return url.toString();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
