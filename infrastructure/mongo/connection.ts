import mongoose, { type Connection } from 'mongoose';
import {
  MONGO_CONNECT_TIMEOUT_MS,
  MONGO_HEARTBEAT_FREQUENCY_MS,
  MONGO_INDEX_BUILD_TIMEOUT_MS,
  MONGO_PING_TIMEOUT_MS,
  MONGO_SERVER_SELECTION_TIMEOUT_MS,
  MONGO_SOCKET_TIMEOUT_MS,
} from '../config/limits';
import type { Logger } from '../logging/logger';
import { registerModels } from './models';

export type { Connection } from 'mongoose';

/**
 * Opens a dedicated connection (never mongoose's global one), registers every model and
 * builds their indexes. Rejects if MongoDB cannot be reached or an index cannot be built,
 * so a misconfigured instance fails at start, not on its first request.
 *
 * Once open, the driver's monitor keeps probing the server: after an outage the same
 * connection serves again by itself. Meanwhile each operation fails within about 4 s
 * (no buffering, no driver retry; stopped or hung server alike), as
 * PersistenceUnavailableError in the repositories.
 */
export async function connectMongo(uri: string, log: Logger, options: { monitorCommands?: boolean } = {}): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    ...CONNECTION_OPTIONS,
    socketTimeoutMS: MONGO_SOCKET_TIMEOUT_MS,
    // Off unless asked (round-trip counts in tests): with it on, the driver builds two
    // event objects per command, decoding every reply a second time, listened to or not.
    monitorCommands: options.monitorCommands ?? false,
  });
  watch(conn, log);
  try {
    await conn.asPromise();
    await buildIndexes(uri);
    registerModels(conn);
    log.info({ action: 'mongo.connected', database: conn.name }, 'MongoDB connected, indexes ready');
    return conn;
  } catch (error) {
    closing.add(conn);
    await conn.close(true).catch(() => undefined);
    throw error;
  }
}

const CONNECTION_OPTIONS = {
  bufferCommands: false,
  autoIndex: false,
  autoCreate: false,
  serverSelectionTimeoutMS: MONGO_SERVER_SELECTION_TIMEOUT_MS,
  heartbeatFrequencyMS: MONGO_HEARTBEAT_FREQUENCY_MS,
  connectTimeoutMS: MONGO_CONNECT_TIMEOUT_MS,
  // A driver retry waits out a second server selection, past the 5 s a request may
  // take; the client retries on SERVICE_UNAVAILABLE instead.
  retryReads: false,
  retryWrites: false,
} as const;

/**
 * Builds every model's indexes over a connection of its own, closed after, whose
 * operations may take MONGO_INDEX_BUILD_TIMEOUT_MS rather than a request's 4 s.
 */
async function buildIndexes(uri: string): Promise<void> {
  const builder = mongoose.createConnection(uri, { ...CONNECTION_OPTIONS, socketTimeoutMS: MONGO_INDEX_BUILD_TIMEOUT_MS });
  // Failures reach the awaits below; an 'error' event with no listener would crash.
  builder.on('error', () => undefined);
  try {
    await builder.asPromise();
    for (const model of registerModels(builder)) await model.createIndexes();
  } finally {
    await builder.close(true).catch(() => undefined);
  }
}

const closing = new WeakSet<Connection>();

// A Connection that emits 'error' with no listener would crash the process.
function watch(conn: Connection, log: Logger): void {
  conn.on('error', (error: unknown) => log.error({ action: 'mongo.error', err: error }, 'MongoDB connection error'));
  conn.on('disconnected', () => {
    if (!closing.has(conn)) log.warn({ action: 'mongo.disconnected' }, 'MongoDB unreachable; retrying');
  });
  conn.on('reconnected', () => log.info({ action: 'mongo.reconnected' }, 'MongoDB reachable again'));
}

/**
 * Whether MongoDB answers a ping within `timeoutMs`: the readiness probe. Never throws;
 * an unanswered ping still settles (and is ignored) within the server selection timeout.
 */
export async function pingMongo(conn: Connection, timeoutMs: number = MONGO_PING_TIMEOUT_MS): Promise<boolean> {
  const db = conn.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = db.command({ ping: 1 }).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes the connection; open operations fail. Safe to call twice. */
export async function closeMongo(conn: Connection): Promise<void> {
  closing.add(conn);
  await conn.close();
}
