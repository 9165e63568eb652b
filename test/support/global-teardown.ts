import Redis from 'ioredis';
import { mongo } from 'mongoose';
import { stopTestServices, takeTestServices, type TestServices } from './global-setup';
import { TEST_DB_PREFIX, TEST_KEY_PREFIX } from './test-env';

const CLEANUP_TIMEOUT_MS = 5_000;

/** Stops the run's servers; on external ones (MONGODB_URI, REDIS_URL) deletes this run's data instead. */
export default async function globalTeardown(): Promise<void> {
  const services = takeTestServices();
  try {
    await Promise.all([dropRunDatabases(services), deleteRunKeys(services)]);
  } catch (err) {
    process.stderr.write(`[test services] warning: could not remove this run's test data: ${String(err)}\n`);
  } finally {
    await stopTestServices(services);
  }
}

async function dropRunDatabases({ mongo: server }: TestServices): Promise<void> {
  const runId = process.env.WARDEN_TEST_RUN_ID;
  if (server?.kind !== 'external' || !runId) return;
  const client = new mongo.MongoClient(server.uri, { serverSelectionTimeoutMS: CLEANUP_TIMEOUT_MS });
  try {
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    const ours = databases.filter(({ name }) => name.startsWith(`${TEST_DB_PREFIX}${runId}_`));
    await Promise.all(ours.map(({ name }) => client.db(name).dropDatabase()));
  } finally {
    await client.close();
  }
}

async function deleteRunKeys({ redis: server }: TestServices): Promise<void> {
  const runId = process.env.WARDEN_TEST_RUN_ID;
  if (server?.kind !== 'external' || !runId) return;
  const client = new Redis(server.url, { connectTimeout: CLEANUP_TIMEOUT_MS, maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    for await (const keys of client.scanStream({ match: `${TEST_KEY_PREFIX}${runId}_*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await client.unlink(...keys);
    }
  } finally {
    client.disconnect();
  }
}
