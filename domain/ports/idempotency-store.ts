/**
 * Remembers, per caller and idempotency key, the result of a member mutation, so a retry
 * returns it instead of writing again, on any instance, for at least
 * IDEMPOTENCY_KEY_RETENTION_MS.
 */
export interface IdempotencyStore {
  claim(request: IdempotencyRequest): Promise<IdempotencyClaim>;
  /** The operation succeeded: later claims answer `done` with `resultId`. */
  complete(callerId: string, key: string, now: Date): Promise<void>;
  /** The try failed: the next claim may try again at once (with the same reserved id). */
  release(callerId: string, key: string, now: Date): Promise<void>;
}

export interface IdempotencyRequest {
  callerId: string;
  key: string;
  /** The mutation, e.g. `sendMessage`: one key serves one operation. */
  operation: string;
  /** A digest of the input: the same key with another input is refused. */
  fingerprint: string;
  now: Date;
}

export type IdempotencyClaim =
  /** First use of the key: run with `resultId` as the new entity's id. */
  | { status: 'new'; resultId: string }
  /** An earlier try failed or died: run again with the same id (what it stored is found). */
  | { status: 'retry'; resultId: string }
  /** Done before: return the entity `resultId`, write nothing. */
  | { status: 'done'; resultId: string }
  /** Another request with this key is being processed now. */
  | { status: 'busy' }
  /** The key was used with another operation or input. */
  | { status: 'mismatch' };
