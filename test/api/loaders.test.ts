import { createLoaders } from '../../api/loaders';
import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import type { ItemListing } from '../../domain/listing/item-listing.aggregate';

// The batching contract resolvers rely on, against a recording lookup.
function recordingServices(known: Map<string, PersonalUser>) {
  const userReads: string[][] = [];
  const listingReads: string[] = [];
  return {
    userReads,
    listingReads,
    services: {
      lookupUsers: async (ids: readonly string[]) => {
        userReads.push([...ids]);
        return ids.flatMap((id) => (known.has(id) ? [known.get(id)!] : []));
      },
      lookupListing: async (id: string) => {
        listingReads.push(id);
        return id === 'missing' ? null : ({ id } as unknown as ItemListing);
      },
    },
  };
}

const member = (id: string) => ({ id }) as unknown as PersonalUser;

test('ids asked for in one tick are read in one query, each once; unknown ids are null', async () => {
  const known = new Map([['a', member('a')], ['b', member('b')]]);
  const { services, userReads } = recordingServices(known);
  const loaders = createLoaders(services as never);
  const results = await Promise.all(['a', 'b', 'a', 'zz', 'b'].map((id) => loaders.user(id)));
  expect(results.map((user) => user?.id ?? null)).toEqual(['a', 'b', 'a', null, 'b']);
  expect(userReads).toEqual([['a', 'b', 'zz']]);
  // Cached for the request: no second read.
  await loaders.user('a');
  expect(userReads).toHaveLength(1);
});

test('the caller, seeded, is never read', async () => {
  const { services, userReads } = recordingServices(new Map());
  const me = member('me');
  const loaders = createLoaders(services as never, [me]);
  expect(await loaders.user('me')).toBe(me);
  expect(userReads).toEqual([]);
});

test('a failed read rejects every id of its batch', async () => {
  const loaders = createLoaders({
    lookupUsers: async () => {
      throw new Error('store down');
    },
    lookupListing: async () => null,
  } as never);
  await expect(Promise.all([loaders.user('a'), loaders.user('b')])).rejects.toThrow('store down');
});

test('each listing is read once per request', async () => {
  const { services, listingReads } = recordingServices(new Map());
  const loaders = createLoaders(services as never);
  await Promise.all([loaders.listing('l1'), loaders.listing('l1'), loaders.listing('missing')]);
  expect(await loaders.listing('missing')).toBeNull();
  expect(listingReads.sort()).toEqual(['l1', 'missing']);
});
