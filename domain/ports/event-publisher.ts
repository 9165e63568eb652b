import type { DomainEvent } from '../shared/domain-event';

/**
 * Tells the rest of the system what happened. At-most-once: a lost event must never lose
 * state, which lives in the store; consumers reconcile against it.
 */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
