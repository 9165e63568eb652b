import { auditEntryForUserEvent } from '../../domain/audit/audit-entries';
import type { EventPublisher } from '../../domain/ports/event-publisher';
import type { Clock } from '../../domain/shared/clock';
import type { DomainEvent } from '../../domain/shared/domain-event';
import type { BlockRecord } from '../../domain/user/block';
import type { UserEvent } from '../../domain/user/user.events';
import type { MongoWebhookQueue } from './mongo-webhook-queue';
import { isWebhookType, webhookEventOf, type WebhookEvent } from './webhook-event';

/**
 * Queues a webhook for every saved member event, beside publishing it with `inner`.
 * `publish` resolves only once both are done, and the caller clears the outbox only
 * then: an event whose enqueue failed (or whose process died first) stays in the outbox
 * and the relay brings it back here. The queue is keyed by event id, so that replay
 * queues nothing twice.
 *
 * Any `user.*` event the audit trail maps to an entry is sent, under the entry's type: a
 * new kind of member event needs its audit mapping, nothing here.
 */
export class WebhookEnqueuingPublisher implements EventPublisher {
  constructor(
    private readonly inner: EventPublisher,
    private readonly queue: Pick<MongoWebhookQueue, 'enqueue'>,
    private readonly clock: Clock,
    private readonly onEnqueued: () => void,
  ) {}

  async publish(events: readonly DomainEvent[], history?: readonly BlockRecord[]): Promise<void> {
    const webhooks = events.flatMap((event) => webhookOf(event));
    const [published, enqueued] = await Promise.allSettled([
      this.inner.publish(events, history),
      this.queue.enqueue(webhooks, this.clock.now()),
    ]);
    if (enqueued.status === 'fulfilled' && webhooks.length > 0) this.onEnqueued();
    if (published.status === 'rejected') throw published.reason;
    if (enqueued.status === 'rejected') throw enqueued.reason;
  }
}

function webhookOf(event: DomainEvent): WebhookEvent[] {
  if (!event.type.startsWith('user.')) return [];
  let entry;
  try {
    entry = auditEntryForUserEvent(event as UserEvent, null);
  } catch {
    return [];
  }
  if (!entry || !isWebhookType(entry.type)) return [];
  return [webhookEventOf(entry, event.id, new Date(event.occurredAt))];
}
