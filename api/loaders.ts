import type { ItemListing } from '../domain/listing/item-listing.aggregate';
import type { PersonalUser } from '../domain/user/personal-user.aggregate';
import type { AppServices } from './app-services';

export interface Loaders {
  user(id: string): Promise<PersonalUser | null>;
  listing(id: string): Promise<ItemListing | null>;
}

/**
 * Per-request loaders: ids asked for in the same tick are fetched in one query, and each
 * id once per request (a list of 100 messages reads each sender once).
 */
export function createLoaders(services: AppServices, seed: PersonalUser[] = []): Loaders {
  const users = batched(async (ids: string[]) => {
    const found = await services.lookupUsers(ids);
    return new Map(found.map((user) => [user.id, user]));
  });
  for (const user of seed) users.prime(user.id, user);
  const listings = new Map<string, Promise<ItemListing | null>>();
  return {
    user: (id) => users.load(id),
    listing: (id) => {
      let pending = listings.get(id);
      if (!pending) listings.set(id, (pending = services.lookupListing(id)));
      return pending;
    },
  };
}

function batched<V>(fetch: (ids: string[]) => Promise<Map<string, V>>) {
  const cache = new Map<string, Promise<V | null>>();
  let queue: { id: string; resolve: (value: V | null) => void; reject: (error: unknown) => void }[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    fetch([...new Set(batch.map((entry) => entry.id))]).then(
      (found) => batch.forEach((entry) => entry.resolve(found.get(entry.id) ?? null)),
      (error) => batch.forEach((entry) => entry.reject(error)),
    );
  };
  return {
    prime(id: string, value: V) {
      cache.set(id, Promise.resolve(value));
    },
    load(id: string): Promise<V | null> {
      const cached = cache.get(id);
      if (cached) return cached;
      const pending = new Promise<V | null>((resolve, reject) => {
        if (queue.length === 0) process.nextTick(flush);
        queue.push({ id, resolve, reject });
      });
      cache.set(id, pending);
      return pending;
    },
  };
}
