import mongoose from 'mongoose';

/**
 * MongoDB could not be reached or did not answer in time: nothing is known to have been
 * written. The API answers SERVICE_UNAVAILABLE; the client may retry.
 */
export class PersistenceUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The database is unavailable', { cause });
    this.name = 'PersistenceUnavailableError';
  }
}

const { mongo } = mongoose;

const UNAVAILABLE_CLASSES = [
  mongo.MongoNetworkError, // includes MongoNetworkTimeoutError and MongoPoolClearedError
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongo.MongoServerClosedError,
  mongo.MongoClientClosedError,
  mongo.MongoOperationTimeoutError,
  mongoose.Error.MongooseServerSelectionError,
];

// Some driver errors are only told apart by name (they are not exported as classes).
const UNAVAILABLE_NAMES = new Set([
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'PoolClearedOnNetworkError',
  'MongooseServerSelectionError',
]);

// Server codes meaning "not now", not "no": shutdown, step-down, network, time limit.
const UNAVAILABLE_CODES = new Set([6, 7, 50, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

const UNAVAILABLE_MESSAGES = [
  /before initial connection is complete/i,
  /connection .*closed/i,
  /pool .*cleared/i,
  /client must be connected/i,
  /topology (is|was) (closed|destroyed)/i,
  /buffering timed out/i,
];

/** Whether `error` (or one of its causes) means the store is unreachable or too slow. */
export function isUnavailableError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (error instanceof PersistenceUnavailableError) return true;
  if (UNAVAILABLE_CLASSES.some((type) => error instanceof type)) return true;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (error instanceof mongo.MongoServerError && typeof code === 'number' && UNAVAILABLE_CODES.has(code)) {
    return true;
  }
  const fromDriver = error instanceof mongo.MongoError || error instanceof mongoose.Error;
  if (fromDriver && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  return isUnavailableError(error.cause, depth + 1);
}

/**
 * Rethrows a driver error: unavailability becomes PersistenceUnavailableError, anything
 * else (duplicate key, domain errors, bugs) goes on unchanged.
 */
export function translateMongoError(error: unknown): never {
  if (error instanceof PersistenceUnavailableError) throw error;
  throw isUnavailableError(error) ? new PersistenceUnavailableError(error) : error;
}

/** Runs `operation`, translating its driver errors with translateMongoError. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    translateMongoError(error);
  }
}

/** E11000: a unique index refused the write. */
export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof mongo.MongoServerError && error.code === 11000;
}
