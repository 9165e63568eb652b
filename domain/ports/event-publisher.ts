import type { DomainEvent } from '../shared/domain-event';
import type { BlockRecord } from '../user/block';

/**
 * Tells the rest of the system what happened. At-most-once: a lost event must never lose
 * state, which lives in the store; consumers reconcile against it.
 */
export interface EventPublisher {
  /**
   * `history`: the block history saved with these events (all of one member), when the
   * caller holds it. The staff's notes are there and in no event; the audit trail takes
   * them from it instead of reading the member again.
   */
  publish(events: readonly DomainEvent[], history?: readonly BlockRecord[]): Promise<void>;
}
