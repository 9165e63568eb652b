import DataLoader from 'dataloader';
import type { ItemListing } from '../domain/listing/item-listing.aggregate';
import type { PersonalUser } from '../domain/user/personal-user.aggregate';
import type { AppServices } from './app-services';

export interface Loaders {
  user(id: string): Promise<PersonalUser | null>;
  listing(id: string): Promise<ItemListing | null>;
}

/**
 * Per-request loaders (dataloader): ids asked for in the same tick are fetched in one
 * query, and each id once per request (a list of 100 messages reads each sender once).
 * `seed` are members already read for this request (the caller).
 */
export function createLoaders(services: Pick<AppServices, 'lookupUsers' | 'lookupListing'>, seed: PersonalUser[] = []): Loaders {
  const users = new DataLoader<string, PersonalUser | null>(async (ids) => {
    const found = new Map((await services.lookupUsers([...ids])).map((user) => [user.id, user]));
    return ids.map((id) => found.get(id) ?? null);
  });
  for (const user of seed) users.prime(user.id, user);
  // No batch read of listings exists: each id is still read once per request.
  const listings = new DataLoader<string, ItemListing | null>((ids) => Promise.all(ids.map((id) => services.lookupListing(id))), {
    batch: false,
  });
  return {
    user: (id) => users.load(id),
    listing: (id) => listings.load(id),
  };
}
