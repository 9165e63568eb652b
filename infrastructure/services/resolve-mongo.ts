import { findFerretDb, startFerretDb } from './ferretdb-server';
import { startMemoryServer } from './memory-server';
import type { ServiceLog } from './service-log';

export type MongoKind = 'external' | 'memory-server' | 'ferretdb';

/** Stops and restarts a server this process started, on the same port and with its data. */
export interface Restartable {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface ResolvedMongo {
  /** Server address; for spawned servers `mongodb://127.0.0.1:<port>/` without a database name. */
  readonly uri: string;
  readonly kind: MongoKind;
  /** Stops (and deletes) a server this process started; a no-op for MONGODB_URI. */
  stop(): Promise<void>;
  /** Present when this process owns the server. */
  readonly restartable?: Restartable;
}

/**
 * Finds a MongoDB-compatible server: MONGODB_URI, else a mongod via mongodb-memory-server,
 * else a spawned FerretDB (no transactions, change streams or TTL indexes). Throws one error
 * naming the fix when none is available.
 */
export async function resolveMongo(log: ServiceLog): Promise<ResolvedMongo> {
  const external = process.env.MONGODB_URI?.trim();
  if (external) {
    log.info('MongoDB: using MONGODB_URI');
    return { uri: external, kind: 'external', stop: async () => undefined };
  }

  let memoryServerError: string;
  try {
    const server = await startMemoryServer();
    log.info(`MongoDB: mongodb-memory-server at ${server.uri}`);
    return { uri: server.uri, kind: 'memory-server', stop: () => server.dispose(), restartable: server };
  } catch (err) {
    memoryServerError = describe(err);
  }

  const binary = findFerretDb();
  if (!binary) {
    throw new Error(
      `No MongoDB available: mongodb-memory-server failed (${memoryServerError}) and no ferretdb binary was found. ` +
        'Run `npm run provision` to build FerretDB, or set MONGODB_URI to a running MongoDB.',
    );
  }
  log.info(`MongoDB: mongodb-memory-server unavailable (${memoryServerError}); starting FerretDB (${binary})`);
  try {
    const server = await startFerretDb(binary);
    log.info(`MongoDB: FerretDB at ${server.uri}`);
    return { uri: server.uri, kind: 'ferretdb', stop: () => server.dispose(), restartable: server };
  } catch (err) {
    throw new Error(
      `No MongoDB available: FerretDB (${binary}) failed to start: ${describe(err)}. ` +
        'Delete that binary and run `npm run provision`, or set MONGODB_URI to a running MongoDB.',
    );
  }
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
