import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { findExecutable } from '../../infrastructure/services/executables';
import { startMemoryServer } from '../../infrastructure/services/memory-server';
import { startRedisServer } from '../../infrastructure/services/redis-server';
import { findSecantus, startSecantus } from '../../infrastructure/services/secantus-server';
import type { MongoKind } from '../../infrastructure/services/resolve-mongo';

/** A server a fault test owns: stop() makes it unreachable, start() brings it back on the same address. */
export interface DedicatedServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it for good and deletes its data. */
  dispose(): Promise<void>;
}

export interface DedicatedServices {
  /** `uri` has no database name; data survives stop()/start(). */
  readonly mongo: DedicatedServer & { readonly uri: string };
  /** Redis keeps no data across stop()/start(). */
  readonly redis: DedicatedServer & { readonly url: string };
  /** Disposes both. */
  dispose(): Promise<void>;
}

/** Prefix of every test database; global-teardown drops this run's ones on an external server. */
export const TEST_DB_PREFIX = 'warden_test_';
/** First character of every test Redis prefix; global-teardown deletes this run's keys on an external server. */
export const TEST_KEY_PREFIX = 't';

/**
 * A URI for a new database on the run's shared server, named `warden_test_<run>_<tag>_<random>`;
 * `fileTag` defaults to the calling test file's name. Each call gives a new database: call it
 * once per file and share the result when several clients must see the same data.
 */
export function testMongoUri(fileTag: string = currentTestFile()): string {
  const tag = fileTag.toLowerCase().replace(/\.test\.ts$/, '').replace(/[^a-z0-9]+/g, '_').slice(0, 20);
  return withDatabase(requireEnv('WARDEN_TEST_MONGO_URI'), `${TEST_DB_PREFIX}${runId()}_${tag}_${random()}`);
}

/** Which server the run uses. */
export function testMongoKind(): MongoKind {
  return requireEnv('WARDEN_TEST_MONGO_KIND') as MongoKind;
}

/** The run's shared Redis; isolate keys and channels with testRedisPrefix(). */
export function testRedisUrl(): string {
  return requireEnv('WARDEN_TEST_REDIS_URL');
}

/** A new key/channel prefix `t<run>_<random>:` on every call. */
export function testRedisPrefix(): string {
  return `${TEST_KEY_PREFIX}${runId()}_${random()}:`;
}

/**
 * Starts a MongoDB-compatible server and a redis-server owned by the calling test, for tests
 * that stop and restart them: the same kind of server as the run (mongod through
 * mongodb-memory-server, else SecantusDB). Throws when no binary is available.
 */
export async function startDedicatedServices(): Promise<DedicatedServices> {
  const redisBinary = findExecutable('redis-server');
  if (!redisBinary) {
    throw new Error('startDedicatedServices needs redis-server on PATH: unset REDIS_URL and run `npm run provision`');
  }
  const mongo = await startDedicatedMongo();
  try {
    const redis = await startRedisServer(redisBinary);
    const dispose = async (): Promise<void> => {
      await Promise.allSettled([mongo.dispose(), redis.dispose()]);
    };
    return { mongo, redis, dispose };
  } catch (err) {
    await mongo.dispose();
    throw err;
  }
}

async function startDedicatedMongo(): Promise<DedicatedServer & { readonly uri: string }> {
  if (process.env.WARDEN_TEST_MONGO_KIND === 'memory-server') return startMemoryServer();
  const secantus = findSecantus();
  if (secantus) return startSecantus(secantus);
  try {
    return await startMemoryServer();
  } catch (err) {
    throw new Error(
      `startDedicatedServices needs SecantusDB or a mongod binary (mongodb-memory-server: ${String(err)}): ` +
        'unset MONGODB_URI and run `npm run provision`, or put mongod on PATH',
    );
  }
}

/** Replaces the database of a MongoDB URI, keeping hosts, credentials and options. */
export function withDatabase(uri: string, database: string): string {
  const [head = '', query = ''] = uri.split(/\?(.*)/s);
  const pathStart = head.indexOf('/', head.indexOf('://') + 3);
  const hosts = pathStart === -1 ? head : head.slice(0, pathStart);
  const oldDatabase = pathStart === -1 ? '' : head.slice(pathStart + 1);
  const options = query ? [query] : [];
  // Credentials authenticate against the URI's database unless authSource says otherwise.
  if (hosts.includes('@') && oldDatabase && !/(^|&)authSource=/.test(query)) options.push(`authSource=${oldDatabase}`);
  return `${hosts}/${database}${options.length ? `?${options.join('&')}` : ''}`;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is unset: run tests with jest's global setup (test/support/global-setup.ts), e.g. \`npm test\``);
  }
  return value;
}

function runId(): string {
  return process.env.WARDEN_TEST_RUN_ID ?? 'x';
}

function random(): string {
  return randomBytes(4).toString('hex');
}

function currentTestFile(): string {
  const testPath = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  return testPath ? basename(testPath) : 'file';
}
