import type { PubSubEngine } from 'graphql-subscriptions';
import type { EventPublisher } from '../../domain/ports/event-publisher';
import type { DomainEvent } from '../../domain/shared/domain-event';
import type { UserEvent } from '../../domain/user/user.events';
import type { MessageSent } from '../../domain/messaging/message.aggregate';
import type { Channels } from './channels';
import type { AccountStatusSignal } from './event-codec';

/**
 * Publishes domain events on a PubSubEngine: Redis across instances, or in-process for a
 * single one. Account-status events carry the new status itself, so a consumer needs no
 * read to act on them.
 */
export class PubSubEventPublisher implements EventPublisher {
  private local: ((signal: AccountStatusSignal) => void) | null = null;

  constructor(
    private readonly pubsub: PubSubEngine,
    private readonly channels: Channels,
  ) {}

  /**
   * Hands each account-status signal to this instance's dispatcher as soon as it is written
   * to Redis, so the member's sockets here close before the saving request's remaining
   * writes, and without Redis's answer interleaving with their close; the dispatcher
   * ignores the echo that comes back by Redis.
   */
  deliverLocallyTo(receive: (signal: AccountStatusSignal) => void): void {
    this.local = receive;
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      if (isUserEvent(event)) {
        const signal: AccountStatusSignal = {
          status: event.payload.status,
          eventId: event.id,
          type: event.type,
          correlationId: event.correlationId,
          actorId: event.actorId,
        };
        // Written to Redis first, so the other instances' copy is on its way before this
        // instance's own work; acted on here without waiting for Redis's answer. Redis
        // down: the sockets here still close; the outbox relay tells the rest.
        const published = this.pubsub.publish(this.channels.accountStatus, signal);
        try {
          this.local?.(signal);
        } finally {
          await published;
        }
      } else if (event.type === 'message.sent') {
        await this.pubsub.publish(this.channels.messageSent, (event as MessageSent).payload);
      }
    }
  }
}

function isUserEvent(event: DomainEvent): event is UserEvent {
  return event.type.startsWith('user.');
}
