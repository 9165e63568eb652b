import { startMemoryServer } from './memory-server';
import { findSecantus, startSecantus } from './secantus-server';
import type { ServiceLog } from './service-log';

export type MongoKind = 'external' | 'memory-server' | 'secantus';

/** Stops and restarts a server this process started, on the same port and with its data. */
export interface Restartable {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface ResolvedMongo {
  /** Server address; for spawned servers `mongodb://127.0.0.1:<port>/` (with options) without a database name. */
  readonly uri: string;
  readonly kind: MongoKind;
  /** Stops (and deletes) a server this process started; a no-op for MONGODB_URI. */
  stop(): Promise<void>;
  /** Present when this process owns the server. */
  readonly restartable?: Restartable;
}

/**
 * Finds a MongoDB-compatible server: MONGODB_URI, else a mongod via mongodb-memory-server,
 * else a spawned SecantusDB (single-document atomicity and unique indexes, which is all Warden
 * relies on). Throws one error naming the fix when none is available.
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

  const binary = findSecantus();
  if (!binary) {
    throw new Error(
      `No MongoDB available: mongodb-memory-server failed (${memoryServerError}) and SecantusDB is not installed. ` +
        'Run `npm run provision` to install it, or set MONGODB_URI to a running MongoDB.',
    );
  }
  log.info(`MongoDB: mongodb-memory-server unavailable (${memoryServerError}); starting SecantusDB (${binary})`);
  try {
    const server = await startSecantus(binary);
    log.info(`MongoDB: SecantusDB at ${server.uri}`);
    return { uri: server.uri, kind: 'secantus', stop: () => server.dispose(), restartable: server };
  } catch (err) {
    throw new Error(
      `No MongoDB available: SecantusDB (${binary}) failed to start: ${describe(err)}. ` +
        'Run `npm run provision -- --reinstall-secantus`, or set MONGODB_URI to a running MongoDB.',
    );
  }
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
