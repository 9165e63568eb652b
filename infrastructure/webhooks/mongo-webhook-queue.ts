import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { Page, PageRequest } from '../../domain/shared/page';
import type { DeadLetter, WebhookDeadLetters } from '../../domain/webhooks/webhook-delivery';
import type { Connection } from '../mongo/connection';
import { guarded, isDuplicateKeyError } from '../mongo/mongo-errors';
import { keysetFilter, keysetPageOf, keysetSort } from '../mongo/repositories/keyset-page';
import { WEBHOOK_CLAIM_CHOICES, WEBHOOK_CLAIM_RACES, WEBHOOK_DELIVERED_RETENTION_MS } from '../config/limits';
import type { WebhookEvent } from './webhook-event';

type DeliveryState = 'pending' | 'inflight' | 'delivered' | 'dead';

interface DeliveryDoc {
  /** The event id. */
  _id: string;
  type: string;
  occurredAt: Date;
  /** The JSON body, fixed at enqueue so every try (and a replay) sends the same bytes. */
  body: string;
  state: DeliveryState;
  attempts: number;
  /** When it may next be claimed: the retry time, or the end of the current lease. */
  nextAttemptAt: Date;
  /** Set at each claim; only the holder of the current claim may settle the delivery. */
  claim: string | null;
  lastError: string | null;
  createdAt: Date;
  deadAt?: Date;
  /** Delivered documents are removed here (TTL index), having served as dedupe keys. */
  expireAt?: Date;
}

/** A delivery claimed for one try. */
export interface ClaimedDelivery {
  id: string;
  body: string;
  /** This try's number, from 1. */
  attempt: number;
  claim: string;
}

/**
 * The durable webhook queue: one document per event in `webhook_deliveries`, keyed by
 * the event id so enqueueing an event twice (outbox relay, several settlers) keeps one.
 * A try is claimed with one findOneAndUpdate that moves `nextAttemptAt` to the end of a
 * lease: an instance killed mid-delivery leaves a claim that simply expires, and another
 * instance takes the delivery again (at least once).
 */
export class MongoWebhookQueue implements WebhookDeadLetters {
  private indexed: Promise<void> | null = null;

  constructor(private readonly connection: Connection) {}

  private get collection(): mongo.Collection<DeliveryDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection not open');
    return db.collection<DeliveryDoc>('webhook_deliveries');
  }

  /** Creates the indexes once per process; a failure is retried at the next call. */
  private ensureIndexes(): Promise<void> {
    this.indexed ??= (async () => {
      await this.collection.createIndex({ state: 1, nextAttemptAt: 1 });
      await this.collection.createIndex({ state: 1, deadAt: -1, _id: -1 });
      await this.collection.createIndex({ expireAt: 1 }, { expireAfterSeconds: 0, sparse: true });
    })().catch((error: unknown) => {
      this.indexed = null;
      throw error;
    });
    return this.indexed;
  }

  /** Queues events not queued before; resolves once they are stored (durably, in MongoDB). */
  enqueue(events: readonly WebhookEvent[], now: Date): Promise<void> {
    return guarded(async () => {
      if (events.length === 0) return;
      await this.ensureIndexes();
      for (const event of events) {
        try {
          await this.collection.insertOne({
            _id: event.id,
            type: event.type,
            occurredAt: new Date(event.occurredAt),
            body: JSON.stringify(event),
            state: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            claim: null,
            lastError: null,
            createdAt: now,
          });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
    });
  }

  /**
   * Takes a due delivery for one try, holding it for `leaseMs`; null when none is due. New
   * and retried deliveries come first, then those whose lease lapsed (their instance died
   * mid-try). A claim reads the first few due by the `{state, nextAttemptAt}` index and
   * takes one of them, picked at random, by an update conditional on what was read: of the
   * workers racing for a delivery exactly one matches, and the random pick keeps a dozen
   * workers on several instances from all racing for the same one.
   *
   * Not one findOneAndUpdate: SecantusDB 0.7 re-asserts its filter with `$and` when it
   * writes, which no index serves, so each claim scanned every delivery kept (delivered
   * ones included) under its global lock.
   */
  claimNext(now: Date, leaseMs: number): Promise<ClaimedDelivery | null> {
    return guarded(async () => {
      await this.ensureIndexes();
      const claim = randomUUID();
      for (const state of ['pending', 'inflight'] as const) {
        for (let race = 0; race < WEBHOOK_CLAIM_RACES; race++) {
          const heads = await this.collection
            .find({ state, nextAttemptAt: { $lte: now } }, { projection: { body: 1, attempts: 1, nextAttemptAt: 1 } })
            .sort({ nextAttemptAt: 1 })
            .limit(WEBHOOK_CLAIM_CHOICES)
            .toArray();
          if (heads.length === 0) break;
          const head = heads[Math.floor(Math.random() * heads.length)]!;
          const taken = await this.collection.updateOne(
            { _id: head._id, state, nextAttemptAt: head.nextAttemptAt },
            {
              $set: { state: 'inflight', claim, nextAttemptAt: new Date(now.getTime() + leaseMs) },
              $inc: { attempts: 1 },
            },
          );
          if (taken.modifiedCount === 1) return { id: head._id, body: head.body, attempt: head.attempts + 1, claim };
        }
      }
      return null;
    });
  }

  /** The receiver acknowledged; false when the claim was lost (another instance retook it). */
  markDelivered(delivery: ClaimedDelivery, now: Date): Promise<boolean> {
    return this.settle(delivery, {
      state: 'delivered',
      claim: null,
      lastError: null,
      expireAt: new Date(now.getTime() + WEBHOOK_DELIVERED_RETENTION_MS),
    });
  }

  /** Schedules the next try at `retryAt`, or dead-letters the delivery when `retryAt` is null. */
  markFailed(delivery: ClaimedDelivery, error: string, retryAt: Date | null, now: Date): Promise<boolean> {
    return this.settle(
      delivery,
      retryAt
        ? { state: 'pending', claim: null, lastError: error, nextAttemptAt: retryAt }
        : { state: 'dead', claim: null, lastError: error, deadAt: now },
    );
  }

  private settle(delivery: ClaimedDelivery, set: Partial<DeliveryDoc>): Promise<boolean> {
    return guarded(async () => {
      const result = await this.collection.updateOne({ _id: delivery.id, claim: delivery.claim }, { $set: set });
      return result.modifiedCount === 1;
    });
  }

  /** Deliveries waiting or in flight, and dead-lettered ones (metrics). */
  counts(): Promise<{ pending: number; dead: number }> {
    return guarded(async () => {
      const [pending, dead] = await Promise.all([
        this.collection.countDocuments({ state: { $in: ['pending', 'inflight'] } }),
        this.collection.countDocuments({ state: 'dead' }),
      ]);
      return { pending, dead };
    });
  }

  /** One delivery's state (tests and the soak's check). */
  stateOf(id: string): Promise<{ state: DeliveryState; attempts: number; lastError: string | null } | null> {
    return guarded(async () => {
      const doc = await this.collection.findOne({ _id: id });
      return doc ? { state: doc.state, attempts: doc.attempts, lastError: doc.lastError } : null;
    });
  }

  listDead(page: PageRequest): Promise<Page<DeadLetter>> {
    return guarded(async () => {
      const docs = await this.collection
        .find(keysetFilter({ state: 'dead' }, 'deadAt', page))
        .sort(keysetSort('deadAt'))
        .limit(page.first + 1)
        .toArray();
      return keysetPageOf(docs, 'deadAt', page, toDeadLetter);
    });
  }

  replay(id: string): Promise<DeadLetter | null> {
    return guarded(async () => {
      const doc = await this.collection.findOneAndUpdate(
        { _id: id, state: 'dead' },
        { $set: { state: 'pending', attempts: 0, nextAttemptAt: new Date(), claim: null } },
        { returnDocument: 'before' },
      );
      return doc ? toDeadLetter(doc) : null;
    });
  }
}

function toDeadLetter(doc: DeliveryDoc): DeadLetter {
  return {
    id: doc._id,
    type: doc.type,
    occurredAt: doc.occurredAt,
    body: doc.body,
    attempts: doc.attempts,
    lastError: doc.lastError,
    deadAt: doc.deadAt ?? doc.createdAt,
  };
}
