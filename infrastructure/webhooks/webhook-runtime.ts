import type { AuditEntry } from '../../domain/audit/audit-entry';
import type { EventPublisher } from '../../domain/ports/event-publisher';
import type { Clock } from '../../domain/shared/clock';
import type { WebhookConfig } from '../config/config';
import { WEBHOOK_POLL_INTERVAL_MS } from '../config/limits';
import { startPeriodicJob } from '../jobs/periodic-job';
import type { Logger } from '../logging/logger';
import type { Connection } from '../mongo/connection';
import { MongoWebhookQueue } from './mongo-webhook-queue';
import { WebhookDispatcher, type WebhookTiming } from './webhook-dispatcher';
import { isWebhookType, webhookEventOf } from './webhook-event';
import { WebhookEnqueuingPublisher } from './webhook-publisher';

export interface WebhookRuntimeDeps {
  connection: Connection;
  /** null: WEBHOOK_URL unset, nothing is queued or sent (the dead-letter list still reads). */
  config: WebhookConfig | null;
  clock: Clock;
  log: Logger;
  /** Shorter timeout and lease than the contract's, for tests. */
  timing?: Partial<WebhookTiming>;
  onAttempt?(outcome: 'delivered' | 'failed' | 'dead'): void;
}

/**
 * The webhook parts, wired: the queue (also the staff's dead-letter list), where events
 * enter it, and the dispatcher with its poll. Two entrances, so every moderation event
 * gets in once: member events through the event publisher (durable through the outbox),
 * and entries that no event carries (appeals) as the audit trail stores them.
 */
export function createWebhookRuntime(deps: WebhookRuntimeDeps) {
  const queue = new MongoWebhookQueue(deps.connection);
  const config = deps.config;
  const log = deps.log.child({ component: 'webhooks' });
  const dispatcher = config
    ? new WebhookDispatcher({
        queue,
        url: config.url,
        secret: config.secret,
        timing: { maxAttempts: config.maxAttempts, retryBaseMs: config.retryBaseMs, ...deps.timing },
        clock: deps.clock,
        log,
        onAttempt: deps.onAttempt,
      })
    : null;
  const poll = dispatcher ? startPeriodicJob('webhook-poll', WEBHOOK_POLL_INTERVAL_MS, () => dispatcher.drain(), log) : null;
  const nudge = () => void dispatcher?.drain();
  return {
    queue,
    /** `inner`, also queueing a webhook for each member event (unchanged without webhooks). */
    enqueuingEvents(inner: EventPublisher): EventPublisher {
      return dispatcher ? new WebhookEnqueuingPublisher(inner, queue, deps.clock, nudge) : inner;
    },
    /** For the audit trail's beforeStore: queues the entries no member event carries. */
    async enqueueEntries(entries: readonly AuditEntry[]): Promise<void> {
      if (!dispatcher) return;
      const events = entries
        .filter((entry) => entry.idempotencyKey === undefined && isWebhookType(entry.type))
        .map((entry) => webhookEventOf(entry, entry.id, entry.at));
      if (events.length === 0) return;
      await queue.enqueue(events, deps.clock.now());
      nudge();
    },
    /** Tries every due delivery now (tests; it also runs on its interval). */
    drain: () => dispatcher?.drain() ?? Promise.resolve(),
    async stop(): Promise<void> {
      poll?.stop();
      await dispatcher?.stop();
    },
  };
}

export type WebhookRuntime = ReturnType<typeof createWebhookRuntime>;
