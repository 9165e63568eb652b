import { createHash } from 'node:crypto';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { Clock } from '../shared/clock';
import { ValidationError } from '../shared/domain-error';
import type { Traced } from './viewer';

/** Longest idempotency key accepted (a UUID is 36). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const KEY = /^[\x21-\x7e]+$/;

export const idempotencyErrors = {
  badKey: () =>
    new ValidationError(
      'IDEMPOTENCY.BAD_KEY',
      `idempotencyKey must be 1..${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces`,
      'idempotencyKey',
    ),
  reused: () =>
    new ValidationError(
      'IDEMPOTENCY.KEY_REUSED',
      'This idempotencyKey was already used for another operation or input',
      'idempotencyKey',
    ),
  inProgress: () =>
    new ValidationError(
      'IDEMPOTENCY.IN_PROGRESS',
      'A request with this idempotencyKey is still being processed; retry in a moment',
      'idempotencyKey',
    ),
};

export interface IdempotentCommand extends Traced {
  /** Optional: when given, a retry with the same key returns the first result. */
  idempotencyKey?: string | null;
  /** Set by the runner: the id reserved for the new entity. */
  id?: string;
}

export interface IdempotencyDeps {
  idempotency: IdempotencyStore;
  clock: Clock;
}

/**
 * Makes a member mutation idempotent per caller and key. The first request reserves the
 * new entity's id in the store before anything is written; the use case creates the
 * entity under that id. So a retry after a failure part-way (the message stored, its
 * conversation not) re-runs under the same id, finds what was stored and writes no
 * second entity, and a retry after success reads the entity and writes nothing.
 */
export function idempotent<C extends Traced & { id?: string }, R>(
  deps: IdempotencyDeps,
  operation: string,
  run: (command: C) => Promise<R>,
  load: (id: string) => Promise<R | null>,
): (command: C & IdempotentCommand) => Promise<R> {
  return async (command) => {
    const key = command.idempotencyKey;
    if (key === undefined || key === null) {
      const { idempotencyKey: _key, ...rest } = command;
      return run(rest as unknown as C);
    }
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY.test(key)) throw idempotencyErrors.badKey();
    const callerId = command.viewer.userId;
    const claim = await deps.idempotency.claim({
      callerId,
      key,
      operation,
      fingerprint: fingerprintOf(operation, command),
      now: deps.clock.now(),
    });
    switch (claim.status) {
      case 'mismatch':
        throw idempotencyErrors.reused();
      case 'busy':
        throw idempotencyErrors.inProgress();
      case 'done': {
        const stored = await load(claim.resultId);
        if (stored === null) throw new Error(`idempotent ${operation}: result ${claim.resultId} is gone`);
        return stored;
      }
      case 'new':
      case 'retry': {
        let result: R;
        try {
          const { idempotencyKey: _key, ...rest } = command;
          result = await run({ ...(rest as unknown as C), id: claim.resultId });
        } catch (error) {
          // A retry whose earlier try stored the entity and then failed finds it here.
          const stored = claim.status === 'retry' ? await load(claim.resultId).catch(() => null) : null;
          if (stored === null) {
            await deps.idempotency.release(callerId, key, deps.clock.now()).catch(() => undefined);
            throw error;
          }
          result = stored;
        }
        await deps.idempotency.complete(callerId, key, deps.clock.now());
        // What was stored first is the answer (a retry's own copy may differ in its times).
        return claim.status === 'retry' ? ((await load(claim.resultId)) ?? result) : result;
      }
    }
  };
}

/** A digest of what the caller asked for: the command without who, how and the key. */
function fingerprintOf(operation: string, command: IdempotentCommand): string {
  const { viewer: _viewer, correlationId: _correlationId, idempotencyKey: _key, id: _id, ...input } = command;
  return createHash('sha256').update(`${operation}:${JSON.stringify(input)}`).digest('hex');
}
