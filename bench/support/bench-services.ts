import { randomBytes } from 'node:crypto';
import { mongo } from 'mongoose';
import { resolveMongo, type ResolvedMongo } from '../../infrastructure/services/resolve-mongo';
import { resolveRedis, type ResolvedRedis } from '../../infrastructure/services/resolve-redis';
import type { ServiceLog } from '../../infrastructure/services/service-log';
import { withDatabase } from '../../test/support/test-env';

export const serviceLog: ServiceLog = {
  info: (message) => console.log(`  [services] ${message}`),
  warn: (message) => console.log(`  [services] warning: ${message}`),
};

export interface BenchServices {
  /** A fresh database on the store, dropped by stop() when the store is external. */
  mongoUri: string;
  redisUrl: string;
  redisPrefix: string;
  mongoKind: ResolvedMongo['kind'];
  stop(): Promise<void>;
}

/** MongoDB and Redis the way the tests resolve them (MONGODB_URI / REDIS_URL, else spawned). */
export async function startBenchServices(name: string): Promise<BenchServices> {
  const run = randomBytes(3).toString('hex');
  const [mongoServer, redisServer]: [ResolvedMongo, ResolvedRedis] = await Promise.all([
    resolveMongo(serviceLog),
    resolveRedis(serviceLog, { allowInProcess: false }),
  ]);
  const database = `warden_bench_${name}_${run}`;
  const mongoUri = withDatabase(mongoServer.uri, database);
  return {
    mongoUri,
    redisUrl: redisServer.url,
    redisPrefix: `bench_${name}_${run}:`,
    mongoKind: mongoServer.kind,
    async stop() {
      if (mongoServer.kind === 'external') await dropDatabase(mongoUri);
      await Promise.allSettled([mongoServer.stop(), redisServer.stop()]);
    },
  };
}

async function dropDatabase(uri: string): Promise<void> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db().dropDatabase();
  } catch (err) {
    console.error(`could not drop the bench database: ${String(err)}`);
  } finally {
    await client.close().catch(() => undefined);
  }
}
