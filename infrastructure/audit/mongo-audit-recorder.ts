import type { PubSubEngine } from 'graphql-subscriptions';
import type { AuditEntry, AuditRecorder, NewAuditEntry } from '../../domain/audit/audit-entry';
import type { Clock } from '../../domain/shared/clock';
import { AUDIT_BATCH_SIZE, AUDIT_QUEUE_LIMIT, AUDIT_WRITE_RETRY_DELAY_MS } from '../config/limits';
import type { Logger } from '../logging/logger';
import { auditEntryId, cleanText, toJsonObject } from './audit-codec';

/** Where the recorder writes: returns the entries stored now (not those already there). */
export interface AuditStore {
  insertMany(entries: readonly AuditEntry[]): Promise<AuditEntry[]>;
}

export interface MongoAuditRecorderDeps {
  store: AuditStore;
  /** Every entry stored is published here, for `moderationEvents` on every instance. */
  pubsub: PubSubEngine;
  channel: string;
  clock: Clock;
  /** config.instanceId: the `instance` of every entry. */
  instance: string;
  log: Logger;
}

export interface MongoAuditRecorderOptions {
  /** Entries waiting to be written, at most; past it new ones are lost (and logged). @default AUDIT_QUEUE_LIMIT */
  queueLimit?: number;
  /** Entries per insertMany. @default AUDIT_BATCH_SIZE */
  batchSize?: number;
  /** Pause before the one retry of a failed write. @default AUDIT_WRITE_RETRY_DELAY_MS */
  retryDelayMs?: number;
}

/**
 * The audit trail's writer. `record` stamps the entry (id, server time, instance) and
 * queues it, and returns: the action it records never waits for, nor fails with, the
 * audit store. A background loop writes the queue in batches, retries a failed batch
 * once, and publishes each stored entry. Whatever cannot be kept (queue full, write
 * failed twice) is logged at error level with the whole entry: "audit entry lost".
 */
export class MongoAuditRecorder implements AuditRecorder {
  private readonly queue: AuditEntry[] = [];
  private draining: Promise<void> | null = null;
  private readonly queueLimit: number;
  private readonly batchSize: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly deps: MongoAuditRecorderDeps,
    options: MongoAuditRecorderOptions = {},
  ) {
    this.queueLimit = options.queueLimit ?? AUDIT_QUEUE_LIMIT;
    this.batchSize = options.batchSize ?? AUDIT_BATCH_SIZE;
    this.retryDelayMs = options.retryDelayMs ?? AUDIT_WRITE_RETRY_DELAY_MS;
  }

  /** Entries recorded but not yet written. */
  get pending(): number {
    return this.queue.length;
  }

  record(entry: NewAuditEntry): void {
    try {
      const stamped = this.stamp(entry);
      if (this.queue.length >= this.queueLimit) {
        this.lost([stamped], 'queue-full', null);
        return;
      }
      this.queue.push(stamped);
      this.drainSoon();
    } catch (error) {
      // Nothing the caller passed may make record throw.
      this.lost([entry], 'unrecordable', error);
    }
  }

  /**
   * Resolves once every entry recorded before the call has been written (or logged as
   * lost), or after `timeoutMs`: for shutdown and tests. Never rejects.
   */
  async flush(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.draining) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      const late = Number.isFinite(left) ? new Promise<void>((resolve) => (timer = setTimeout(resolve, left))) : null;
      await (late ? Promise.race([this.draining, late]) : this.draining);
      clearTimeout(timer);
    }
  }

  private stamp(entry: NewAuditEntry): AuditEntry {
    const at = this.deps.clock.now();
    return {
      id: auditEntryId(entry.idempotencyKey, at),
      type: entry.type,
      actorId: entry.actorId ?? null,
      targetId: entry.targetId ?? null,
      reason: typeof entry.reason === 'string' ? cleanText(entry.reason) : null,
      correlationId: cleanText(String(entry.correlationId)),
      details: toJsonObject(entry.details ?? {}),
      at,
      instance: this.deps.instance,
      ...(entry.idempotencyKey === undefined ? {} : { idempotencyKey: entry.idempotencyKey }),
    };
  }

  private drainSoon(): void {
    if (this.draining) return;
    // One tick of delay lets the entries of one request share a batch.
    this.draining = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .catch((error: unknown) => this.deps.log.error({ err: error, action: 'audit.drain' }, 'audit writer failed'))
      .finally(() => {
        this.draining = null;
        if (this.queue.length > 0) this.drainSoon();
      });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      const stored = await this.write(batch);
      await Promise.all(stored.map((entry) => this.publish(entry)));
    }
  }

  private async write(batch: AuditEntry[]): Promise<AuditEntry[]> {
    try {
      return await this.deps.store.insertMany(batch);
    } catch (first) {
      this.deps.log.warn({ err: first, action: 'audit.write-retry', entries: batch.length }, 'audit write failed; retrying once');
      await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      try {
        // Safe to repeat: ids were fixed at record time, so what the first try did write
        // is a duplicate now, and skipped.
        return await this.deps.store.insertMany(batch);
      } catch (error) {
        this.lost(batch, 'write-failed', error);
        return [];
      }
    }
  }

  private async publish(entry: AuditEntry): Promise<void> {
    try {
      await this.deps.pubsub.publish(this.deps.channel, entry);
    } catch (error) {
      // Stored all the same: the log is complete, only the live feed missed it.
      this.deps.log.warn({ err: error, action: 'audit.publish-failed', entryId: entry.id }, 'audit entry not published');
    }
  }

  private lost(entries: readonly (AuditEntry | NewAuditEntry)[], why: string, error: unknown): void {
    for (const entry of entries) {
      this.deps.log.error({ action: 'audit.lost', why, err: error ?? undefined, entry }, 'audit entry lost');
    }
  }
}
