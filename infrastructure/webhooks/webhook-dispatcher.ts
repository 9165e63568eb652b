import type { Clock } from '../../domain/shared/clock';
import {
  WEBHOOK_CONCURRENCY,
  WEBHOOK_LEASE_MS,
  WEBHOOK_RETRY_MAX_DELAY_MS,
  WEBHOOK_TIMEOUT_MS,
} from '../config/limits';
import type { Logger } from '../logging/logger';
import type { ClaimedDelivery, MongoWebhookQueue } from './mongo-webhook-queue';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

export interface WebhookTiming {
  maxAttempts: number;
  retryBaseMs: number;
  /** @default WEBHOOK_TIMEOUT_MS */
  timeoutMs?: number;
  /** @default WEBHOOK_LEASE_MS */
  leaseMs?: number;
}

export interface WebhookDispatcherDeps {
  queue: MongoWebhookQueue;
  url: string;
  secret: string;
  timing: WebhookTiming;
  clock: Clock;
  log: Logger;
  /** Told each try's outcome (metrics). */
  onAttempt?(outcome: 'delivered' | 'failed' | 'dead'): void;
}

/**
 * Sends due deliveries from the queue: claim one (a lease), POST it signed, then mark it
 * delivered, or schedule the next try with exponential backoff and jitter, or dead-letter
 * it after the last try. Every instance runs one; the claims keep them from sending the
 * same try twice, and a killed instance's claim lapses into a retry by another.
 */
export class WebhookDispatcher {
  private draining: Promise<void> | null = null;
  /**
   * Claims a worker stopped waiting for (the store too slow): still running in MongoDB, so
   * no new round starts until they end. Otherwise each poll would add claims to a store
   * already behind, and the queue would pile up there (seen on SecantusDB: 180 at once).
   */
  private readonly abandoned = new Set<Promise<unknown>>();
  private again = false;
  private stopped = false;

  constructor(private readonly deps: WebhookDispatcherDeps) {}

  /** Looks for due deliveries now (after an enqueue, and on the poll interval). Never rejects. */
  drain(): Promise<void> {
    if (this.stopped || this.abandoned.size > 0) return Promise.resolve();
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        await Promise.all(Array.from({ length: WEBHOOK_CONCURRENCY }, () => this.work()));
      } while (this.again && !this.stopped);
    })().finally(() => (this.draining = null));
    return this.draining;
  }

  /**
   * Stops claiming; waits up to `graceMs` for the tries under way. One still running then
   * is left to its lease: another instance tries it again (at least once).
   */
  async stop(graceMs = 1_000): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.draining?.catch(() => undefined), late]);
    clearTimeout(timer);
  }

  /** One worker: claims and tries until nothing is due. Never rejects: MongoDB down ends the round. */
  private async work(): Promise<void> {
    const leaseMs = this.deps.timing.leaseMs ?? WEBHOOK_LEASE_MS;
    // No step may hold a worker for ever (a store that stops answering): past its bound the
    // worker gives up the round, the claim lapses, and the next poll starts afresh.
    const stepBound = (this.deps.timing.timeoutMs ?? WEBHOOK_TIMEOUT_MS) + WEBHOOK_STEP_SLACK_MS;
    try {
      while (!this.stopped) {
        const claiming = this.deps.queue.claimNext(this.deps.clock.now(), leaseMs);
        const delivery = await within(claiming, stepBound).catch((error: unknown) => {
          this.abandoned.add(claiming);
          const settled = () => void this.abandoned.delete(claiming);
          claiming.then(settled, settled);
          throw error;
        });
        if (!delivery) return;
        await within(this.attempt(delivery), 2 * stepBound);
      }
    } catch (error) {
      // A claim whose outcome could not be written lapses and is tried again: at least once.
      this.deps.log.warn({ err: error, action: 'webhook-queue-unavailable' }, 'webhook queue unreachable; will retry');
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { queue, log, timing } = this.deps;
    const failure = await this.post(delivery.body);
    const now = this.deps.clock.now();
    if (failure === null) {
      await queue.markDelivered(delivery, now);
      this.deps.onAttempt?.('delivered');
      log.info({ action: 'webhook-delivered', eventId: delivery.id, attempt: delivery.attempt }, 'webhook delivered');
      return;
    }
    const last = delivery.attempt >= timing.maxAttempts;
    const retryAt = last ? null : new Date(now.getTime() + backoffMs(delivery.attempt, timing.retryBaseMs));
    await queue.markFailed(delivery, failure, retryAt, now);
    this.deps.onAttempt?.(last ? 'dead' : 'failed');
    const line = { action: last ? 'webhook-dead' : 'webhook-failed', eventId: delivery.id, attempt: delivery.attempt, failure };
    if (last) log.error(line, 'webhook dead-lettered after its last try');
    else log.warn({ ...line, retryAt }, 'webhook try failed; will retry');
  }

  /** POSTs the body signed; null when the receiver acknowledged (2xx), else why not. */
  private async post(body: string): Promise<string | null> {
    const timeoutMs = this.deps.timing.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    const unixSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    try {
      const response = await fetch(this.deps.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureHeader(this.deps.secret, body, unixSeconds),
        },
        body,
        // A redirect is an answer that is not 2xx, not a place to send a signed event to.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        return `no answer within ${timeoutMs} ms`;
      }
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      return `network error: ${cause}`;
    }
  }
}

/** Slack on top of the request timeout for one claim or one try with its bookkeeping. */
const WEBHOOK_STEP_SLACK_MS = 5_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`webhook step took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The delay before the try after try `attempt`: base·2^(attempt-1), capped, with equal
 * jitter (half fixed, half random) so retries of many events spread out instead of
 * hitting a recovering receiver together.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs = WEBHOOK_RETRY_MAX_DELAY_MS): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(delay / 2 + Math.random() * (delay / 2));
}
