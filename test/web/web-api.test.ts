import { SignJWT } from 'jose';
import { errorCode, postGraphQL } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { TEST_JWT_SECRET } from '../support/tokens';
import { BLOCK_USER, CREATE_LISTING, REQUEST_RESERVATION, blockInput, futurePeriod } from '../api/operations';

const MEMBERS = `query Members($filter: MemberFilter, $first: Int, $after: String) {
  members(filter: $filter, first: $first, after: $after) {
    totalCount nodes { id displayName } pageInfo { hasNextPage endCursor }
  }
}`;
const STATS = `query Stats($since: DateTime!, $until: DateTime!) { moderationStats(since: $since, until: $until) { day type count } }`;
const LISTINGS = `query Listings($filter: ListingFilter, $first: Int) { listings(filter: $filter, first: $first) { nodes { id title category } } }`;
const LISTING = `query Listing($id: ID!) { listing(id: $id) { id title sharer { id } } }`;
const REQUESTS = `{ requestsForMyListings { nodes { id state reserver { id } listing { id } } } }`;
const decision = (name: string) => `mutation D($id: ID!) { ${name}(requestId: $id) { id state } }`;

let api: TestWarden;
const run = Date.now().toString(36);

/** A member with a name and an email, as the identity provider would send them. */
async function person(sub: string, profile: { name?: string; email?: string; admin?: boolean; moderator?: boolean } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    roles: profile.admin ? ['admin'] : profile.moderator ? ['moderator'] : [],
    ...(profile.name ? { name: profile.name } : {}),
    ...(profile.email ? { email: profile.email } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`${sub}-${run}`)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
  const as = (query: string, variables?: Record<string, unknown>) => postGraphQL(api.url, query, variables, token);
  const me = await as('{ me { id } }');
  return { id: me.data!.me.id as string, as };
}

beforeAll(async () => {
  api = await startTestWarden();
});
afterAll(() => api.stop());

describe('members (staff)', () => {
  test('search by name prefix or email, any case; filters by state, role and open appeal; totalCount', async () => {
    const admin = await person('boss', { admin: true, name: 'Boss' });
    const zelda = await person('zelda', { name: `Zelda ${run}`, email: `zelda.${run}@example.org` });
    const zack = await person('zack', { name: `Zack ${run}` });
    await person('other', { name: `Other ${run}` });

    const byName = await admin.as(MEMBERS, { filter: { search: `z` } });
    const names = byName.data!.members.nodes.map((node: { id: string }) => node.id);
    expect(names).toEqual(expect.arrayContaining([zelda.id, zack.id]));
    const byEmail = await admin.as(MEMBERS, { filter: { search: `ZELDA.${run}@EXAMPLE` } });
    expect(byEmail.data!.members).toMatchObject({ totalCount: 1, nodes: [{ id: zelda.id }] });
    const byLaterWord = await admin.as(MEMBERS, { filter: { search: run.toUpperCase() } });
    expect(byLaterWord.data!.members.totalCount).toBe(3); // "Zelda <run>", "Zack <run>", "Other <run>"
    const regexLike = await admin.as(MEMBERS, { filter: { search: '.*' } });
    expect(regexLike.data!.members.totalCount).toBe(0);

    await admin.as(BLOCK_USER, { input: blockInput(zack.id) });
    const blocked = await admin.as(MEMBERS, { filter: { search: 'z', states: ['BLOCKED'] } });
    expect(blocked.data!.members).toMatchObject({ totalCount: 1, nodes: [{ id: zack.id }] });
    const active = await admin.as(MEMBERS, { filter: { search: 'z', states: ['ACTIVE'] } });
    expect(active.data!.members.nodes.map((node: { id: string }) => node.id)).toEqual([zelda.id]);
    const admins = await admin.as(MEMBERS, { filter: { roles: ['ADMIN'] } });
    expect(admins.data!.members.nodes.map((node: { id: string }) => node.id)).toContain(admin.id);
    expect(admins.data!.members.nodes.map((node: { id: string }) => node.id)).not.toContain(zelda.id);

    expect((await admin.as(MEMBERS, { filter: { appealOpen: true } })).data!.members.totalCount).toBe(0);
    await zack.as(`mutation { appealBlock(message: "I did return it") { id } }`);
    const appealing = await admin.as(MEMBERS, { filter: { appealOpen: true } });
    expect(appealing.data!.members).toMatchObject({ totalCount: 1, nodes: [{ id: zack.id }] });
  });

  test('pages newest first with a stable total', async () => {
    const admin = await person('pager', { admin: true });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await person(`page-${i}`, { name: `Pagey ${run} ${i}` })).id);
    const first = await admin.as(MEMBERS, { filter: { search: `pagey ${run}` }, first: 3 });
    expect(first.data!.members.totalCount).toBe(5);
    expect(first.data!.members.pageInfo.hasNextPage).toBe(true);
    const second = await admin.as(MEMBERS, {
      filter: { search: `pagey ${run}` },
      first: 3,
      after: first.data!.members.pageInfo.endCursor,
    });
    const seen = [...first.data!.members.nodes, ...second.data!.members.nodes].map((node: { id: string }) => node.id);
    expect(seen).toEqual([...ids].reverse());
    expect(second.data!.members.totalCount).toBe(5);
  });

  test('a member is FORBIDDEN; a search over 200 characters is BAD_USER_INPUT', async () => {
    const member = await person('nosy');
    expect(errorCode(await member.as(MEMBERS))).toBe('FORBIDDEN');
    const admin = await person('boss2', { admin: true });
    expect(errorCode(await admin.as(MEMBERS, { filter: { search: 'x'.repeat(201) } }))).toBe('BAD_USER_INPUT');
  });
});

test('RESTRICTED: a restriction in force and no block', async () => {
  const moderator = await person('mod-states', { moderator: true });
  const restricted = await person('restricted', { name: `Rita ${run}` });
  const restriction = await moderator.as(
    `mutation R($input: RestrictUserInput!) { restrictUser(input: $input) { id } }`,
    { input: { userId: restricted.id, actions: ['SEND_MESSAGE'], reason: 'OTHER', duration: 'DAYS_7', userMessage: 'Cool down.' } },
  );
  expect(restriction.errors).toBeUndefined();
  const byState = async (state: string) =>
    (await moderator.as(MEMBERS, { filter: { search: `rita ${run}`, states: [state] } })).data!.members.totalCount;
  expect([await byState('RESTRICTED'), await byState('ACTIVE'), await byState('BLOCKED')]).toEqual([1, 0, 0]);
});

describe('moderationOptions: what the role table leaves the viewer on a member', () => {
  const OPTIONS = `query O($id: ID!) { user(id: $id) { moderationOptions {
    blockDurations canUnblock canRestrict canLiftRestriction canForceDisconnect canDecideAppeal } } }`;

  test('a moderator on a member: 7 and 30 days, no appeal decision; on an admin or themself: nothing', async () => {
    const moderator = await person('mod-options', { moderator: true });
    const admin = await person('admin-options', { admin: true });
    const member = await person('member-options');
    const onMember = await moderator.as(OPTIONS, { id: member.id });
    expect(onMember.data!.user.moderationOptions).toEqual({
      blockDurations: ['DAYS_7', 'DAYS_30'],
      canUnblock: true,
      canRestrict: true,
      canLiftRestriction: true,
      canForceDisconnect: true,
      canDecideAppeal: false,
    });
    const nothing = {
      blockDurations: [],
      canUnblock: false,
      canRestrict: false,
      canLiftRestriction: false,
      canForceDisconnect: false,
      canDecideAppeal: false,
    };
    expect((await moderator.as(OPTIONS, { id: admin.id })).data!.user.moderationOptions).toEqual(nothing);
    expect((await moderator.as(OPTIONS, { id: moderator.id })).data!.user.moderationOptions).toEqual(nothing);
    const adminOnMember = await admin.as(OPTIONS, { id: member.id });
    expect(adminOnMember.data!.user.moderationOptions).toMatchObject({
      blockDurations: ['DAYS_7', 'DAYS_30', 'DAYS_90', 'INDEFINITE'],
      canDecideAppeal: true,
    });
    expect(errorCode(await member.as(OPTIONS, { id: member.id }))).toBe('FORBIDDEN');
  });
});

test("myStandingHistory: the member's own blocks, newest first, without staff notes or names", async () => {
  const admin = await person('history-admin', { admin: true });
  const member = await person('history-member');
  await admin.as(BLOCK_USER, { input: blockInput(member.id, { adminNote: 'internal only' }) });
  await admin.as(`mutation U($input: UnblockUserInput!) { unblockUser(input: $input) { id } }`, {
    input: { userId: member.id, reason: 'paid for the damage' },
  });
  const history = await member.as(`{ myStandingHistory { kind reason duration } }`);
  expect(history.data!.myStandingHistory).toEqual([
    { kind: 'UNBLOCKED', reason: 'LATE_RETURN', duration: 'DAYS_7' },
    { kind: 'BLOCKED', reason: 'LATE_RETURN', duration: 'DAYS_7' },
  ]);
  expect(JSON.stringify(history)).not.toContain('internal only');
});

describe('moderationStats (staff)', () => {
  test('counts entries per UTC day and type', async () => {
    const admin = await person('stats-admin', { admin: true });
    const target = await person('stats-target');
    const since = new Date(Date.now() - 86_400_000).toISOString();
    await admin.as(BLOCK_USER, { input: blockInput(target.id) });
    await api.warden.flushAudit();
    const until = new Date(Date.now() + 60_000).toISOString();
    const stats = await admin.as(STATS, { since, until });
    const today = new Date().toISOString().slice(0, 10);
    expect(stats.data!.moderationStats).toContainEqual({ day: today, type: 'USER_BLOCKED', count: expect.any(Number) });
    expect(errorCode(await admin.as(STATS, { since: until, until: since }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await target.as(STATS, { since, until }))).toBe('FORBIDDEN');
  });
});

describe('listings', () => {
  test('browse by category and words of the title or description; one listing by id', async () => {
    const sharer = await person('sharer');
    const reader = await person('reader');
    const category = `garden-${run}`;
    const mower = await sharer.as(CREATE_LISTING, {
      input: { title: 'Electric lawn mower', description: 'Quiet', category, location: 'Ghent' },
    });
    await sharer.as(CREATE_LISTING, {
      input: { title: 'Hedge trimmer', description: 'Cordless, quiet', category, location: 'Ghent' },
    });
    const all = await reader.as(LISTINGS, { filter: { category } });
    expect(all.data!.listings.nodes.map((node: { title: string }) => node.title)).toEqual(['Hedge trimmer', 'Electric lawn mower']);
    const quietMower = await reader.as(LISTINGS, { filter: { category, search: 'MOWER quiet' } });
    expect(quietMower.data!.listings.nodes).toEqual([{ id: mower.data!.createItemListing.id, title: 'Electric lawn mower', category }]);
    const one = await reader.as(LISTING, { id: mower.data!.createItemListing.id });
    expect(one.data!.listing).toMatchObject({ title: 'Electric lawn mower', sharer: { id: sharer.id } });
    expect(errorCode(await reader.as(LISTING, { id: 'ffffffffffffffffffffffff' }))).toBe('NOT_FOUND');
    expect(errorCode(await reader.as(LISTING, { id: 'nope' }))).toBe('BAD_USER_INPUT');
  });
});

describe('reservation requests for my listings', () => {
  async function pendingRequest() {
    const sharer = await person(`owner-${Math.random()}`);
    const reserver = await person(`borrower-${Math.random()}`);
    const listing = await sharer.as(CREATE_LISTING, {
      input: { title: 'Ladder', description: 'Tall', category: 'tools', location: 'Leuven' },
    });
    const request = await reserver.as(REQUEST_RESERVATION, {
      input: { listingId: listing.data!.createItemListing.id, ...futurePeriod() },
    });
    return { sharer, reserver, requestId: request.data!.createReservationRequest.id as string };
  }

  test('the sharer sees requests for their listings and accepts one; nobody else can', async () => {
    const { sharer, reserver, requestId } = await pendingRequest();
    const listed = await sharer.as(REQUESTS);
    expect(listed.data!.requestsForMyListings.nodes).toEqual([
      expect.objectContaining({ id: requestId, state: 'PENDING', reserver: { id: reserver.id } }),
    ]);
    expect((await reserver.as(REQUESTS)).data!.requestsForMyListings.nodes).toEqual([]);
    expect(errorCode(await reserver.as(decision('acceptReservationRequest'), { id: requestId }))).toBe('NOT_FOUND');
    const accepted = await sharer.as(decision('acceptReservationRequest'), { id: requestId });
    expect(accepted.data!.acceptReservationRequest).toEqual({ id: requestId, state: 'ACCEPTED' });
    expect(errorCode(await sharer.as(decision('declineReservationRequest'), { id: requestId }))).toBe('BAD_USER_INPUT');
    const cancelled = await reserver.as(decision('cancelReservationRequest'), { id: requestId });
    expect(cancelled.data!.cancelReservationRequest.state).toBe('CANCELLED');
  });

  test('a blocked sharer cannot accept (ACCOUNT_BLOCKED) but can decline; a blocked reserver can cancel', async () => {
    const admin = await person('blocker', { admin: true });
    const first = await pendingRequest();
    await admin.as(BLOCK_USER, { input: blockInput(first.sharer.id) });
    const refused = await first.sharer.as(decision('acceptReservationRequest'), { id: first.requestId });
    expect(errorCode(refused)).toBe('ACCOUNT_BLOCKED');
    expect(refused.errors![0]!.extensions.action).toBe('ACCEPT_RESERVATION');
    const declined = await first.sharer.as(decision('declineReservationRequest'), { id: first.requestId });
    expect(declined.data!.declineReservationRequest.state).toBe('REJECTED');

    const second = await pendingRequest();
    await admin.as(BLOCK_USER, { input: blockInput(second.reserver.id) });
    const cancelled = await second.reserver.as(decision('cancelReservationRequest'), { id: second.requestId });
    expect(cancelled.data!.cancelReservationRequest.state).toBe('CANCELLED');
  });
});
