import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection, Model } from 'mongoose';
import { ConcurrencyError } from '../../domain/shared/domain-error';
import { MONGO_WRITE_LEASE_TTL_MS, MONGO_WRITE_LEASE_WAIT_MS } from '../config/limits';
import { isDuplicateKeyError } from './mongo-errors';
import { writeLeaseModel, type WriteLeaseDoc } from './models/write-lease.model';

/** While waiting for a lease: true gives up at once (the write could not succeed anyway). */
export type GiveUpCheck = () => Promise<boolean>;

// Waiters poll; checking the holder's expiry (and giveUp) on every poll would add load
// exactly when the holder needs the server.
const CHECK_EVERY_POLLS = 4;
const MAX_POLL_MS = 40;

/**
 * Serializes the writers of one document across instances.
 *
 * Why: FerretDB applies an update as "find, then replace by _id" without a transaction
 * around both, so two concurrent updates of one document lose one of them and a
 * `{ version }` filter can match for both. Only a unique index refuses concurrent
 * inserts atomically there, so a writer first inserts a lease keyed by the document.
 * Inside the lease the version check of an update is real. On MongoDB it only costs two
 * round trips.
 *
 * A crashed writer's lease is broken once expired (wall time, not the domain clock).
 */
export class WriteLeases {
  private readonly model: Model<WriteLeaseDoc>;

  constructor(
    conn: Connection,
    private readonly ttlMs: number = MONGO_WRITE_LEASE_TTL_MS,
    private readonly waitMs: number = MONGO_WRITE_LEASE_WAIT_MS,
  ) {
    this.model = writeLeaseModel(conn);
  }

  /**
   * Runs `write` holding the lease of `aggregate` `id`. Throws ConcurrencyError when
   * another writer keeps it longer than the wait, or when `giveUp` says so while waiting;
   * driver errors go through unchanged.
   */
  async run<T>(aggregate: string, id: string, write: () => Promise<T>, giveUp?: GiveUpCheck): Promise<T> {
    const token = await this.acquire(aggregate, id, giveUp);
    let result: T;
    try {
      result = await write();
    } catch (error) {
      // Not awaited: with MongoDB gone it would wait out a second server selection and
      // break the caller's time bound. A lease left behind expires by itself.
      void this.release(token);
      throw error;
    }
    // Not awaited either: the write is done, so what follows it (publishing the change)
    // need not wait for the delete; a writer polling for this lease gets it a moment later.
    void this.release(token);
    return result;
  }

  private async acquire(aggregate: string, id: string, giveUp?: GiveUpCheck): Promise<string> {
    const key = `${aggregate}:${id}`;
    const token = randomBytes(12).toString('hex');
    const deadline = Date.now() + this.waitMs;
    for (let poll = 0; ; poll++) {
      try {
        await this.model.insertOne({ _id: token, key, expiresAt: new Date(Date.now() + this.ttlMs) });
        return token;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      if (poll % CHECK_EVERY_POLLS === 0) {
        if (giveUp && (await giveUp())) throw new ConcurrencyError(aggregate, id);
        if (await this.breakExpired(key)) continue;
      }
      if (Date.now() >= deadline) throw new ConcurrencyError(aggregate, id);
      await sleep(Math.min(2 * 1.5 ** poll, MAX_POLL_MS) * (0.5 + Math.random()));
    }
  }

  /** Deletes the lease on `key` if it expired; by its own random id, never a successor. */
  private async breakExpired(key: string): Promise<boolean> {
    const holder = await this.model.findOne({ key }).lean<WriteLeaseDoc>().exec();
    if (!holder || holder.expiresAt.getTime() >= Date.now()) return false;
    await this.model.deleteOne({ _id: holder._id }).exec();
    return true;
  }

  private async release(token: string): Promise<void> {
    await this.model
      .deleteOne({ _id: token })
      .exec()
      .catch(() => undefined);
  }
}
