import { NotFoundError } from '../shared/domain-error';
import type { Page, PageRequest } from '../shared/page';

/** A webhook delivery that ran out of tries, as staff see it. */
export interface DeadLetter {
  /** The event id: the body's `id`, by which receivers deduplicate. */
  id: string;
  /** The ModerationEventType. */
  type: string;
  occurredAt: Date;
  /** The exact JSON body that was POSTed (and will be again on replay). */
  body: string;
  attempts: number;
  /** The last failure: an HTTP status, a timeout or a network error. */
  lastError: string | null;
  deadAt: Date;
}

/** The dead-letter list of the webhook queue. */
export interface WebhookDeadLetters {
  /** Newest first. */
  listDead(page: PageRequest): Promise<Page<DeadLetter>>;
  /** Puts a dead delivery back in the queue with fresh tries; null when no dead delivery has that id. */
  replay(id: string): Promise<DeadLetter | null>;
}

export const webhookErrors = {
  notFound: () => new NotFoundError('WEBHOOK.NOT_FOUND', 'No dead-lettered webhook delivery with this id'),
};
