import { DAY_MS, MutableClock } from '../support/mutable-clock';
import { errorCode } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import {
  BLOCK_USER,
  CREATE_LISTING,
  LISTING_INPUT,
  REQUEST_RESERVATION,
  SEND_MESSAGE,
  UNBLOCK_USER,
  blockInput,
  futurePeriod,
} from './operations';

const clock = new MutableClock();
let api: TestWarden;
let adminId: string;
let sharerListingId: string;
let recipientId: string;
let memberCounter = 0;

beforeAll(async () => {
  api = await startTestWarden({ clock });
  adminId = await api.idOf('admin', true);
  recipientId = await api.idOf('recipient');
  const listing = await api.as('sharer')(CREATE_LISTING, { input: LISTING_INPUT });
  sharerListingId = listing.data!.createItemListing.id;
});
afterAll(() => api.stop());

/** Each row runs one member action as `sub` and returns the GraphQL response. */
const actions = {
  CREATE_LISTING: (sub: string) => api.as(sub)(CREATE_LISTING, { input: LISTING_INPUT }),
  REQUEST_RESERVATION: (sub: string) =>
    api.as(sub)(REQUEST_RESERVATION, {
      // The clock may have been moved forward: the period must start after its now.
      input: { listingId: sharerListingId, ...periodAfter(clock.now()) },
    }),
  SEND_MESSAGE: (sub: string) => api.as(sub)(SEND_MESSAGE, { input: { recipientId, text: 'Is the drill free Sunday?' } }),
};

function periodAfter(now: Date) {
  return futurePeriod(now.getTime() - Date.now() + DAY_MS);
}

async function freshMember(): Promise<{ sub: string; id: string }> {
  const sub = `member-${++memberCounter}`;
  return { sub, id: await api.idOf(sub) };
}

describe.each(Object.keys(actions) as (keyof typeof actions)[])('%s', (action) => {
  const run = actions[action];

  test('an active member may act', async () => {
    const { sub } = await freshMember();
    const response = await run(sub);
    expect(response.errors).toBeUndefined();
  });

  test('a blocked member is refused with ACCOUNT_BLOCKED and the message written for them', async () => {
    const { sub, id } = await freshMember();
    const blocked = await api.as('admin', true)(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_30' }) });
    expect(blocked.errors).toBeUndefined();

    const response = await run(sub);
    expect(errorCode(response)).toBe('ACCOUNT_BLOCKED');
    const extensions = response.errors![0]!.extensions;
    expect(extensions.action).toBe(action);
    expect(extensions.reason).toBe('LATE_RETURN');
    expect(extensions.userMessage).toBe(blockInput(id).userMessage);
    expect(extensions.expiresAt).toBe(blocked.data!.blockUser.accountStatus.expiresAt);
    expect(response.data).toBeNull();
  });

  test('a member whose block expired may act again, without any job lifting it', async () => {
    const { sub, id } = await freshMember();
    await api.as('admin', true)(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_7' }) });
    expect(errorCode(await run(sub))).toBe('ACCOUNT_BLOCKED');

    clock.advance(7 * DAY_MS + 1_000);
    const response = await run(sub);
    expect(response.errors).toBeUndefined();
  });

  test('an unblocked member may act again', async () => {
    const { sub, id } = await freshMember();
    await api.as('admin', true)(BLOCK_USER, { input: blockInput(id, { duration: 'INDEFINITE' }) });
    expect(errorCode(await run(sub))).toBe('ACCOUNT_BLOCKED');

    const unblocked = await api.as('admin', true)(UNBLOCK_USER, { input: { userId: id, reason: 'Appeal accepted' } });
    expect(unblocked.data?.unblockUser.isBlocked).toBe(false);
    const response = await run(sub);
    expect(response.errors).toBeUndefined();
  });
});

test('a refused action stores nothing', async () => {
  const { sub, id } = await freshMember();
  await api.as('admin', true)(BLOCK_USER, { input: blockInput(id) });
  await actions.CREATE_LISTING(sub);
  const listings = await api.as(sub)('{ myListings { nodes { id } } }');
  expect(listings.data?.myListings.nodes).toEqual([]);
});

test('the admin is not blocked by blocking others', async () => {
  const response = await api.as('admin', true)('{ me { id isBlocked } }');
  expect(response.data?.me).toEqual({ id: adminId, isBlocked: false });
});
