import { auditEntryForUserEvent } from '../../domain/audit/audit-entries';
import type { AuditRecorder } from '../../domain/audit/audit-entry';
import type { EventPublisher } from '../../domain/ports/event-publisher';
import type { DomainEvent } from '../../domain/shared/domain-event';
import type { BlockRecord } from '../../domain/user/block';
import type { PersonalUserRepository } from '../../domain/user/personal-user.repository';
import { USER_EVENT_TYPES, type UserEvent } from '../../domain/user/user.events';
import type { Logger } from '../logging/logger';

/**
 * Records every user event in the audit trail, then publishes it with `inner`. Events
 * reach `publish` exactly when they have been saved (use cases and the outbox relay), so
 * the trail sees every block, unblock and expiry; a republished event records nothing
 * new (the entry is keyed by the event id).
 *
 * The entry of a block carries the admin note, which no event does: it is taken from the
 * history saved with the events when the publisher is given it (a use case's save), else
 * read from the member in the background (the outbox relay), so publishing (the kick
 * signal) never waits.
 */
export class AuditingEventPublisher implements EventPublisher {
  private readonly recording = new Set<Promise<void>>();

  constructor(
    private readonly inner: EventPublisher,
    private readonly audit: AuditRecorder,
    private readonly users: Pick<PersonalUserRepository, 'findById'>,
    private readonly log: Logger,
  ) {}

  publish(events: readonly DomainEvent[], history?: readonly BlockRecord[]): Promise<void> {
    const userEvents = events.filter((event): event is UserEvent => USER_EVENT_TYPES.has(event.type));
    const published = this.inner.publish(events, history);
    if (userEvents.length > 0) {
      // Recorded whether or not the publish succeeds (the event is saved either way), but
      // after it: its read of the history must not delay the kick signal.
      const recording = published
        .catch(() => undefined)
        .then(() => this.record(userEvents, history))
        .finally(() => this.recording.delete(recording));
      this.recording.add(recording);
    }
    return published;
  }

  /** Resolves once every event published so far has been handed to the recorder. */
  async idle(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  private async record(events: readonly UserEvent[], saved: readonly BlockRecord[] | undefined): Promise<void> {
    const histories = new Map<string, readonly BlockRecord[] | null>();
    for (const event of events) {
      // Blocks and restrictions carry their admin note in the history only.
      if ((event.type !== 'user.blocked' && event.type !== 'user.restricted') || histories.has(event.aggregateId)) continue;
      histories.set(event.aggregateId, saved ?? (await this.historyOf(event.aggregateId)));
    }
    for (const event of events) {
      try {
        this.audit.record(auditEntryForUserEvent(event, histories.get(event.aggregateId) ?? null));
      } catch (error) {
        this.log.error({ err: error, action: 'audit.lost', event }, 'audit entry lost');
      }
    }
  }

  private async historyOf(userId: string): Promise<readonly BlockRecord[] | null> {
    try {
      return (await this.users.findById(userId))?.blockHistory ?? null;
    } catch (error) {
      // The entry is recorded without the note rather than not at all.
      this.log.warn({ err: error, userId, action: 'audit.history-unread' }, 'audit: block history unreadable');
      return null;
    }
  }
}
