import type { mongo } from 'mongoose';
import type { IdempotencyClaim, IdempotencyRequest, IdempotencyStore } from '../../domain/ports/idempotency-store';
import { newEntityId } from '../../domain/shared/entity-id';
import { IDEMPOTENCY_KEY_RETENTION_MS, IDEMPOTENCY_LEASE_MS } from '../config/limits';
import type { Connection } from '../mongo/connection';
import { guarded, isDuplicateKeyError } from '../mongo/mongo-errors';

interface IdempotencyDoc {
  _id: string;
  callerId: string;
  key: string;
  operation: string;
  fingerprint: string;
  /** The id reserved for the entity the operation creates. */
  resultId: string;
  state: 'pending' | 'done';
  /** While pending: until when the running request holds the key. */
  leaseUntil: Date;
  createdAt: Date;
  /** Removed by the TTL index after this. */
  expireAt: Date;
}

/**
 * Idempotency records in `idempotency_keys`, one per (caller, key) under a unique index,
 * so two instances racing on one key cannot both claim it. A TTL index removes each
 * record IDEMPOTENCY_KEY_RETENTION_MS after its last request.
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  private indexed: Promise<void> | null = null;

  constructor(
    private readonly connection: Connection,
    private readonly leaseMs = IDEMPOTENCY_LEASE_MS,
  ) {}

  private get collection(): mongo.Collection<IdempotencyDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection not open');
    return db.collection<IdempotencyDoc>('idempotency_keys');
  }

  private ensureIndexes(): Promise<void> {
    this.indexed ??= (async () => {
      await this.collection.createIndex({ callerId: 1, key: 1 }, { unique: true });
      await this.collection.createIndex({ expireAt: 1 }, { expireAfterSeconds: 0 });
    })().catch((error: unknown) => {
      this.indexed = null;
      throw error;
    });
    return this.indexed;
  }

  claim(request: IdempotencyRequest): Promise<IdempotencyClaim> {
    return guarded(async () => {
      await this.ensureIndexes();
      const { callerId, key, operation, fingerprint, now } = request;
      // Twice at most: a record that expired between the insert and the read is claimed anew.
      for (let attempt = 0; attempt < 2; attempt++) {
        const resultId = newEntityId(now);
        try {
          await this.collection.insertOne({
            _id: newEntityId(now),
            callerId,
            key,
            operation,
            fingerprint,
            resultId,
            state: 'pending',
            leaseUntil: new Date(now.getTime() + this.leaseMs),
            createdAt: now,
            expireAt: new Date(now.getTime() + IDEMPOTENCY_KEY_RETENTION_MS),
          });
          return { status: 'new', resultId };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        const existing = await this.collection.findOne({ callerId, key });
        if (!existing) continue;
        if (existing.operation !== operation || existing.fingerprint !== fingerprint) return { status: 'mismatch' };
        if (existing.state === 'done') return { status: 'done', resultId: existing.resultId };
        if (existing.leaseUntil.getTime() > now.getTime()) return { status: 'busy' };
        // The earlier try failed or its instance died: take the key over, one taker only.
        const taken = await this.collection.findOneAndUpdate(
          { callerId, key, state: 'pending', leaseUntil: existing.leaseUntil },
          { $set: { leaseUntil: new Date(now.getTime() + this.leaseMs) } },
        );
        return taken ? { status: 'retry', resultId: existing.resultId } : { status: 'busy' };
      }
      return { status: 'busy' };
    });
  }

  complete(callerId: string, key: string, now: Date): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne(
        { callerId, key },
        { $set: { state: 'done', expireAt: new Date(now.getTime() + IDEMPOTENCY_KEY_RETENTION_MS) } },
      );
    });
  }

  release(callerId: string, key: string, now: Date): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ callerId, key, state: 'pending' }, { $set: { leaseUntil: now } });
    });
  }
}
