import { randomBytes } from 'node:crypto';
import { resolveMongo, type ResolvedMongo } from '../../infrastructure/services/resolve-mongo';
import { resolveRedis, type ResolvedRedis } from '../../infrastructure/services/resolve-redis';
import type { ServiceLog } from '../../infrastructure/services/service-log';

/** The servers of one jest run; global-teardown reads them (jest runs both in one process). */
export interface TestServices {
  mongo?: ResolvedMongo;
  redis?: ResolvedRedis;
}

const SERVICES = Symbol.for('warden.test.services');
type WithServices = typeof globalThis & { [SERVICES]?: TestServices };

const log: ServiceLog = {
  info: (message) => process.stderr.write(`[test services] ${message}\n`),
  warn: (message) => process.stderr.write(`[test services] warning: ${message}\n`),
};

/**
 * Starts one MongoDB-compatible server and one Redis for the whole run and publishes them to
 * test files (see test-env.ts): WARDEN_TEST_MONGO_URI (server address; any database name in it
 * is replaced by testMongoUri), WARDEN_TEST_MONGO_KIND, WARDEN_TEST_REDIS_URL, WARDEN_TEST_RUN_ID.
 */
export default async function globalSetup(): Promise<void> {
  const services: TestServices = {};
  (globalThis as WithServices)[SERVICES] = services;
  const [mongo, redis] = await Promise.allSettled([
    resolveMongo(log),
    resolveRedis(log, { allowInProcess: false }),
  ]);
  if (mongo.status === 'fulfilled') services.mongo = mongo.value;
  if (redis.status === 'fulfilled') services.redis = redis.value;
  // Jest skips global teardown when setup fails, so a half-started pair is stopped here.
  if (mongo.status === 'rejected' || redis.status === 'rejected') {
    await stopTestServices(takeTestServices());
    const reasons = [mongo, redis].flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    throw new Error(`Test services could not start:\n${reasons.join('\n')}`);
  }
  process.env.WARDEN_TEST_MONGO_URI = mongo.value.uri;
  process.env.WARDEN_TEST_MONGO_KIND = mongo.value.kind;
  process.env.WARDEN_TEST_REDIS_URL = redis.value.url;
  process.env.WARDEN_TEST_RUN_ID = randomBytes(3).toString('hex');
}

/** Takes the run's servers out of the registry (so a second teardown finds nothing). */
export function takeTestServices(): TestServices {
  const services = (globalThis as WithServices)[SERVICES] ?? {};
  delete (globalThis as WithServices)[SERVICES];
  return services;
}

/** Stops the servers this process started; external ones are left alone. */
export async function stopTestServices(services: TestServices): Promise<void> {
  await Promise.allSettled([services.mongo?.stop(), services.redis?.stop()]);
}
