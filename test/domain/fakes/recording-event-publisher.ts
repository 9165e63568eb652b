import type { EventPublisher } from '../../../domain/ports/event-publisher';
import type { DomainEvent } from '../../../domain/shared/domain-event';
import { CallLog } from './call-log';

/** Records what was published; can be told to fail the next publishes. */
export class RecordingEventPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];
  private failures: unknown[] = [];

  constructor(readonly log: CallLog = new CallLog()) {}

  failNext(...errors: unknown[]): void {
    this.failures.push(...errors);
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.log.add(`events.publish ${events.map((event) => event.type).join(',')}`);
    if (this.failures.length > 0) throw this.failures.shift();
    this.published.push(...events);
  }

  types(): string[] {
    return this.published.map((event) => event.type);
  }
}
