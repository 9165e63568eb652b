import type { Clock } from '../shared/clock';
import { publishSaved, type ChangeUserDeps } from './change-user';

/**
 * Republishes events that were saved but never published (the process died between
 * the two). Only events older than `graceMs` are taken, to leave the use case that
 * saved them the time to publish them itself; a duplicate is harmless either way.
 * @returns how many events were republished
 */
export const relayOutbox =
  (deps: Pick<ChangeUserDeps, 'users' | 'events' | 'onPublishFailure'> & { clock: Clock }) =>
  async (graceMs: number, limit = 100): Promise<number> => {
    const cutoff = deps.clock.now().getTime() - graceMs;
    const stale = (await deps.users.findUnpublishedEvents(limit)).filter(
      (event) => new Date(event.occurredAt).getTime() <= cutoff,
    );
    const byUser = new Map<string, typeof stale>();
    for (const event of stale) byUser.set(event.aggregateId, [...(byUser.get(event.aggregateId) ?? []), event]);
    for (const [userId, events] of byUser) await publishSaved(deps, userId, events);
    return stale.length;
  };
