import type { Actor } from '../shared/domain-event';

/** The authenticated member or admin a use case acts for. */
export interface Viewer extends Actor {
  userId: string;
}

/** Every command carries the request's correlation id into the events it raises. */
export interface Traced {
  viewer: Viewer;
  correlationId: string;
}
