import { ConcurrencyError } from '../shared/domain-error';
import type { DomainEvent } from '../shared/domain-event';
import type { EventPublisher } from '../ports/event-publisher';
import type { BlockRecord } from '../user/block';
import type { PersonalUser } from '../user/personal-user.aggregate';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { userErrors } from '../user/user.errors';

export interface ChangeUserDeps {
  users: PersonalUserRepository;
  events: EventPublisher;
  /** Tries of load-change-save when another writer wins the version race. */
  optimisticRetries: number;
  /** Told when publishing failed; the events stay in the outbox for the relay. */
  onPublishFailure?: (error: unknown, events: readonly DomainEvent[]) => void;
}

/**
 * Loads a member, applies `change`, saves state, history and events in one
 * single-document write, then publishes the events. A concurrent save makes it start
 * again from a fresh read, so no history entry is lost and block and history agree.
 */
export async function changeUser(
  deps: ChangeUserDeps,
  userId: string,
  change: (user: PersonalUser) => void,
): Promise<PersonalUser> {
  for (let attempt = 1; ; attempt++) {
    const user = await deps.users.findById(userId);
    if (!user) throw userErrors.notFound();
    change(user);
    if (user.newEvents.length === 0) return user;
    try {
      await deps.users.save(user);
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < deps.optimisticRetries) continue;
      throw error;
    }
    await publishSaved(deps, user.id, user.newEvents, user.blockHistory);
    return user;
  }
}

/** Publishes events already in the outbox and clears them; failures leave them there. */
export async function publishSaved(
  deps: Pick<ChangeUserDeps, 'users' | 'events' | 'onPublishFailure'>,
  userId: string,
  events: readonly DomainEvent[],
  history?: readonly BlockRecord[],
): Promise<void> {
  try {
    await deps.events.publish(events, history);
    await deps.users.markEventsPublished(
      userId,
      events.map((event) => event.id),
    );
  } catch (error) {
    deps.onPublishFailure?.(error, events);
  }
}
