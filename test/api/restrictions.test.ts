import { logOf } from '../audit/audit-support';
import { errorCode, postGraphQL, type GraphQLResponse } from '../support/graphql-http';
import { DAY_MS, MutableClock } from '../support/mutable-clock';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { CREATE_LISTING, LISTING_INPUT, REQUEST_RESERVATION, SEND_MESSAGE, blockInput, BLOCK_USER, UNBLOCK_USER, futurePeriod } from './operations';
import { LIFT_RESTRICTION, RESTRICT_USER, STATUS_FIELDS, asModerator, restrictInput, tokenWithRoles } from './staff';

const clock = new MutableClock();
let api: TestWarden;
let moderatorId: string;
let recipientId: string;
let toolsListingId: string;
let gardenListingId: string;
let counter = 0;
const moderator = () => asModerator(api.url, 'moderator', clock);
const admin = () => api.as('admin', true);

beforeAll(async () => {
  // Refusals here are deliberate and many; the automated-block policy has its own tests.
  api = await startTestWarden({ clock, env: { AUTO_BLOCK_OFFENCES: '0' } });
  await api.idOf('admin', true);
  moderatorId = (await moderator()('{ me { id role } }')).data!.me.id;
  recipientId = await api.idOf('recipient');
  toolsListingId = (await api.as('sharer')(CREATE_LISTING, { input: { ...LISTING_INPUT, category: 'Tools' } })).data!.createItemListing.id;
  gardenListingId = (await api.as('sharer')(CREATE_LISTING, { input: { ...LISTING_INPUT, category: 'Garden' } })).data!.createItemListing.id;
});
afterAll(() => api.stop());

async function member() {
  const sub = `r-member-${++counter}`;
  return { sub, id: await api.idOf(sub) };
}

function periodAfterNow() {
  return futurePeriod(clock.now().getTime() - Date.now() + DAY_MS);
}

const act = {
  SEND_MESSAGE: (sub: string) => api.as(sub)(SEND_MESSAGE, { input: { recipientId, text: 'Hello there' } }),
  CREATE_LISTING: (sub: string, category = 'Tools') =>
    api.as(sub)(CREATE_LISTING, { input: { ...LISTING_INPUT, category } }),
  REQUEST_RESERVATION: (sub: string, listingId = toolsListingId) =>
    api.as(sub)(REQUEST_RESERVATION, { input: { listingId, ...periodAfterNow() } }),
};

function expectRestricted(response: GraphQLResponse, expected: Record<string, unknown>) {
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code: 'ACTION_RESTRICTED', ...expected });
}

async function restrict(id: string, overrides: Record<string, unknown> = {}) {
  const response = await moderator()(RESTRICT_USER, { input: restrictInput(id, overrides) });
  expect(response.errors).toBeUndefined();
  return response.data!.restrictUser;
}

describe('a messaging restriction', () => {
  test('refuses sendMessage with ACTION_RESTRICTED while listings and reservations work', async () => {
    const { sub, id } = await member();
    const placed = await restrict(id);
    const restriction = placed.accountStatus.restrictions[0];
    expect(placed.accountStatus.state).toBe('RESTRICTED');
    expect(placed.isBlocked).toBe(false);

    const refused = await act.SEND_MESSAGE(sub);
    expectRestricted(refused, {
      action: 'SEND_MESSAGE',
      restrictionId: restriction.id,
      reason: 'INAPPROPRIATE_BEHAVIOR',
      userMessage: 'Your messages are paused for 30 days after a harassment report.',
      expiresAt: restriction.expiresAt,
    });
    expect(refused.errors![0]!.extensions.category).toBeUndefined();
    expect((await act.CREATE_LISTING(sub)).errors).toBeUndefined();
    expect((await act.REQUEST_RESERVATION(sub)).errors).toBeUndefined();
  });

  test('the member sees the restriction and capabilities, without the note or who placed it; staff see both', async () => {
    const { sub, id } = await member();
    await restrict(id);
    const own = await api.as(sub)(`{ me { accountStatus { ${STATUS_FIELDS} } } }`);
    const status = own.data!.me.accountStatus;
    expect(status.state).toBe('RESTRICTED');
    expect(status.restrictions).toEqual([
      expect.objectContaining({ actions: ['SEND_MESSAGE'], categories: null, adminNote: null, createdBy: null }),
    ]);
    expect(status.capabilities).toEqual([
      { action: 'CREATE_LISTING', allowed: true, categories: null, reason: null, userMessage: null, until: null },
      { action: 'REQUEST_RESERVATION', allowed: true, categories: null, reason: null, userMessage: null, until: null },
      { action: 'ACCEPT_RESERVATION', allowed: true, categories: null, reason: null, userMessage: null, until: null },
      {
        action: 'SEND_MESSAGE',
        allowed: false,
        categories: null,
        reason: 'INAPPROPRIATE_BEHAVIOR',
        userMessage: 'Your messages are paused for 30 days after a harassment report.',
        until: status.restrictions[0].expiresAt,
      },
    ]);
    const seen = await moderator()(`{ user(id: "${id}") { accountStatus { restrictions { adminNote createdBy { id } } } } }`);
    expect(seen.data!.user.accountStatus.restrictions).toEqual([{ adminNote: 'Report #4411', createdBy: { id: moderatorId } }]);
  });

  test('lifting restores sendMessage; the history keeps RESTRICTED and RESTRICTION_LIFTED', async () => {
    const { sub, id } = await member();
    const placed = await restrict(id);
    const restrictionId = placed.accountStatus.restrictions[0].id;
    expect(errorCode(await act.SEND_MESSAGE(sub))).toBe('ACTION_RESTRICTED');

    const lifted = await moderator()(LIFT_RESTRICTION, { input: { restrictionId, reason: 'Apologised to the other member' } });
    expect(lifted.errors).toBeUndefined();
    expect(lifted.data!.liftRestriction).toMatchObject({ id, accountStatus: { state: 'ACTIVE', restrictions: [] } });
    expect((await act.SEND_MESSAGE(sub)).errors).toBeUndefined();

    const history = await admin()(`{ user(id: "${id}") { blockHistory { kind note restrictionId actions by { id } } } }`);
    expect(history.data!.user.blockHistory).toEqual([
      { kind: 'RESTRICTION_LIFTED', note: 'Apologised to the other member', restrictionId, actions: ['SEND_MESSAGE'], by: { id: moderatorId } },
      { kind: 'RESTRICTED', note: 'Report #4411', restrictionId, actions: ['SEND_MESSAGE'], by: { id: moderatorId } },
    ]);
    // Lifting it again: it is gone.
    expect(errorCode(await moderator()(LIFT_RESTRICTION, { input: { restrictionId, reason: 'again' } }))).toBe('NOT_FOUND');
  });

  test('expiry restores sendMessage by the clock alone', async () => {
    const { sub, id } = await member();
    await restrict(id, { duration: 'DAYS_7' });
    expect(errorCode(await act.SEND_MESSAGE(sub))).toBe('ACTION_RESTRICTED');
    clock.advance(7 * DAY_MS);
    expect((await act.SEND_MESSAGE(sub)).errors).toBeUndefined();
    const own = await api.as(sub)('{ me { accountStatus { state restrictions { id } } } }');
    expect(own.data!.me.accountStatus).toEqual({ state: 'ACTIVE', restrictions: [] });
  });

  test('a block stands above it, and it applies again after unblock', async () => {
    const { sub, id } = await member();
    await restrict(id);
    expect((await moderator()(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_7' }) })).errors).toBeUndefined();
    expect(errorCode(await act.SEND_MESSAGE(sub))).toBe('ACCOUNT_BLOCKED');
    expect(errorCode(await act.CREATE_LISTING(sub))).toBe('ACCOUNT_BLOCKED');
    const status = await api.as(sub)('{ me { accountStatus { state restrictions { actions } } } }');
    expect(status.data!.me.accountStatus).toEqual({ state: 'BLOCKED', restrictions: [{ actions: ['SEND_MESSAGE'] }] });

    expect((await moderator()(UNBLOCK_USER, { input: { userId: id, reason: 'Returned the ladder' } })).errors).toBeUndefined();
    expect(errorCode(await act.SEND_MESSAGE(sub))).toBe('ACTION_RESTRICTED');
    expect((await act.CREATE_LISTING(sub)).errors).toBeUndefined();
  });

  test('a refused restricted action is audited as ACTION_REFUSED with the restriction', async () => {
    const { sub, id } = await member();
    const placed = await restrict(id);
    await act.SEND_MESSAGE(sub);
    const refused = await logOf(api, { userId: id, types: ['ACTION_REFUSED'] });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      actorId: id,
      targetId: id,
      reason: 'INAPPROPRIATE_BEHAVIOR',
      details: { action: 'SEND_MESSAGE', operation: 'sendMessage', restrictionId: placed.accountStatus.restrictions[0].id },
    });
    const restricted = await logOf(api, { userId: id, types: ['USER_RESTRICTED'] });
    expect(restricted).toHaveLength(1);
    expect(restricted[0]).toMatchObject({ actorId: moderatorId, targetId: id, details: { actions: ['SEND_MESSAGE'], adminNote: 'Report #4411' } });
  });
});

describe('a category restriction', () => {
  test('refuses only listings and reservations of that category', async () => {
    const { sub, id } = await member();
    await restrict(id, { actions: ['CREATE_LISTING', 'REQUEST_RESERVATION'], categories: ['tools'], userMessage: 'No tools for now' });

    expectRestricted(await act.CREATE_LISTING(sub, 'Tools'), { action: 'CREATE_LISTING', category: 'Tools', userMessage: 'No tools for now' });
    expectRestricted(await act.REQUEST_RESERVATION(sub, toolsListingId), { action: 'REQUEST_RESERVATION', category: 'Tools' });
    expect((await act.CREATE_LISTING(sub, 'Garden')).errors).toBeUndefined();
    expect((await act.REQUEST_RESERVATION(sub, gardenListingId)).errors).toBeUndefined();
    expect((await act.SEND_MESSAGE(sub)).errors).toBeUndefined();

    const own = await api.as(sub)('{ me { accountStatus { capabilities { action allowed categories } } } }');
    expect(own.data!.me.accountStatus.capabilities).toEqual([
      { action: 'CREATE_LISTING', allowed: true, categories: ['tools'] },
      { action: 'REQUEST_RESERVATION', allowed: true, categories: ['tools'] },
      { action: 'ACCEPT_RESERVATION', allowed: true, categories: null },
      { action: 'SEND_MESSAGE', allowed: true, categories: null },
    ]);
  });
});

describe('accepting reservations', () => {
  const ACCEPT = `mutation Accept($id: ID!) { acceptReservationRequest(requestId: $id) { id state } }`;

  async function requestFor(sharer: string, category: string): Promise<string> {
    const listing = await act.CREATE_LISTING(sharer, category);
    const request = await act.REQUEST_RESERVATION('borrower', listing.data!.createItemListing.id);
    expect(request.errors).toBeUndefined();
    return request.data!.createReservationRequest.id;
  }

  test('an ACCEPT_RESERVATION restriction on a category refuses accepting only there', async () => {
    const { sub, id } = await member();
    const tools = await requestFor(sub, 'Tools');
    const garden = await requestFor(sub, 'Garden');
    await restrict(id, { actions: ['ACCEPT_RESERVATION'], categories: ['tools'], userMessage: 'No lending tools' });

    expectRestricted(await api.as(sub)(ACCEPT, { id: tools }), {
      action: 'ACCEPT_RESERVATION',
      category: 'Tools',
      userMessage: 'No lending tools',
    });
    const accepted = await api.as(sub)(ACCEPT, { id: garden });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptReservationRequest.state).toBe('ACCEPTED');
  });
});

describe('restrictUser input', () => {
  test.each([
    ['categories with SEND_MESSAGE alone', { categories: ['Tools'] }],
    ['no action', { actions: [] }],
    ['a repeated action', { actions: ['SEND_MESSAGE', 'SEND_MESSAGE'] }],
    ['an unknown action', { actions: ['FLY'] }],
    ['a blank userMessage', { userMessage: '   ' }],
    ['a userMessage of 1001 characters', { userMessage: 'x'.repeat(1_001) }],
    ['an adminNote of 4001 characters', { adminNote: 'x'.repeat(4_001) }],
    ['a malformed user id', { userId: 'nope' }],
  ])('%s is BAD_USER_INPUT and places nothing', async (_name, overrides) => {
    const { id } = await member();
    const response = await moderator()(RESTRICT_USER, { input: { ...restrictInput(id), ...overrides } });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    const seen = await moderator()(`{ user(id: "${id}") { accountStatus { state } blockHistory { kind } } }`);
    expect(seen.data!.user).toEqual({ accountStatus: { state: 'ACTIVE' }, blockHistory: [] });
  });

  test('a malformed restriction id is BAD_USER_INPUT; an unknown one NOT_FOUND', async () => {
    expect(errorCode(await moderator()(LIFT_RESTRICTION, { input: { restrictionId: 'x', reason: 'r' } }))).toBe('BAD_USER_INPUT');
    expect(
      errorCode(await moderator()(LIFT_RESTRICTION, { input: { restrictionId: 'ff00000000000000000000ff', reason: 'r' } })),
    ).toBe('NOT_FOUND');
  });
});

describe('roles', () => {
  test.each([
    [['moderator'], 'MODERATOR'],
    [['admin', 'moderator'], 'ADMIN'],
    [['viewer'], 'MEMBER'],
  ])('a token with roles %j is %s', async (roles, role) => {
    const token = await tokenWithRoles(`role-${role}-${++counter}`, roles, clock);
    expect((await postGraphQL(api.url, '{ me { role } }', {}, token)).data!.me.role).toBe(role);
  });

  test('a member may not restrict or lift: FORBIDDEN, audited', async () => {
    const { sub, id } = await member();
    const { id: victim } = await member();
    expect(errorCode(await api.as(sub)(RESTRICT_USER, { input: restrictInput(victim) }))).toBe('FORBIDDEN');
    const entries = await logOf(api, { userId: id, types: ['ADMIN_OPERATION_REFUSED'] });
    expect(entries[0]?.details).toEqual({ reasonCode: 'USER.STAFF_ONLY', operation: 'restrictUser' });
  });

  test.each(['DAYS_90', 'INDEFINITE'])('a moderator blocking for %s is FORBIDDEN and audited; DAYS_7 works', async (duration) => {
    const { id } = await member();
    const refused = await moderator()(BLOCK_USER, { input: blockInput(id, { duration }) });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.errors![0]!.extensions.reasonCode).toBe('USER.ADMIN_ONLY');
    const entries = await logOf(api, { userId: moderatorId, types: ['ADMIN_OPERATION_REFUSED'] });
    expect(entries[0]).toMatchObject({ actorId: moderatorId, details: { reasonCode: 'USER.ADMIN_ONLY', operation: 'blockUser' } });
    const seen = await admin()(`{ user(id: "${id}") { isBlocked } }`);
    expect(seen.data!.user.isBlocked).toBe(false);
    expect((await moderator()(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_7' }) })).errors).toBeUndefined();
  });

  test('a moderator may not decide appeals, nor act on another moderator or an admin; an admin may act on a moderator', async () => {
    const otherModerator = (await asModerator(api.url, 'moderator-2', clock)('{ me { id } }')).data!.me.id;
    const adminId = await api.idOf('admin', true);
    const decide = await moderator()('mutation { decideAppeal(appealId: "ff00000000000000000000ff", approve: true, note: "ok") { id } }');
    expect(errorCode(decide)).toBe('FORBIDDEN');
    expect(errorCode(await moderator()(RESTRICT_USER, { input: restrictInput(otherModerator) }))).toBe('FORBIDDEN');
    expect(errorCode(await moderator()(BLOCK_USER, { input: blockInput(adminId) }))).toBe('FORBIDDEN');
    expect(errorCode(await moderator()(RESTRICT_USER, { input: restrictInput(moderatorId) }))).toBe('FORBIDDEN');
    expect((await admin()(RESTRICT_USER, { input: restrictInput(otherModerator) })).errors).toBeUndefined();
  });

  test('a moderator reads members, history and the moderation log', async () => {
    const { id } = await member();
    const read = await moderator()(`{ user(id: "${id}") { id isBlocked blockHistory { kind } } moderationLog(first: 1) { nodes { id } } }`);
    expect(read.errors).toBeUndefined();
    expect(read.data!.user).toEqual({ id, isBlocked: false, blockHistory: [] });
  });
});
