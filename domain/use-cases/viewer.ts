import type { Actor } from '../shared/domain-event';
import type { PersonalUser } from '../user/personal-user.aggregate';

/** The authenticated member or admin a use case acts for. */
export interface Viewer extends Actor {
  userId: string;
  /**
   * The acting member as the transport read it at the start of this request (or
   * subscribe), when it did: use cases guard with it instead of reading it again.
   */
  readonly member?: PersonalUser;
}

/** Every command carries the request's correlation id into the events it raises. */
export interface Traced {
  viewer: Viewer;
  correlationId: string;
}
