import { LIFT_RESTRICTION, RESTRICT_USER, STATUS_FIELDS, asModerator, restrictInput, tokenWithRoles } from '../api/staff';
import { SEND_MESSAGE } from '../api/operations';
import { DAY_MS, MutableClock } from '../support/mutable-clock';
import { testRedisPrefix } from '../support/test-env';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs, eventually } from '../support/ws-client';

// Two instances of one deployment (one database, one Redis prefix, one clock): a
// restriction placed, lifted or run out on one reaches the member's subscriptions on
// both at once, and closes no socket.

const clock = new MutableClock();
let a: TestWarden;
let b: TestWarden;
let counter = 0;
const open: RawGraphQLWs[] = [];

const STATUS_SUBSCRIPTION = `subscription Status($userId: ID) { accountStatus(userId: $userId) { ${STATUS_FIELDS} } }`;

beforeAll(async () => {
  a = await startTestWarden({ clock, env: { INSTANCE_ID: 'restrict-a' } });
  b = await startTestWarden({ clock, env: { INSTANCE_ID: 'restrict-b' } });
  await a.idOf('recipient');
});
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(async () => {
  await a.stop();
  await b.stop();
});

async function subscribed(api: TestWarden, token: string, variables: Record<string, unknown> = {}) {
  const before = api.warden.registry.listenerCount;
  const { client, acked } = await RawGraphQLWs.connect(api.url, token);
  expect(acked).toBe(true);
  open.push(client);
  client.subscribe('status', STATUS_SUBSCRIPTION, variables);
  await eventually(() => api.warden.registry.listenerCount > before, 5_000, 'subscription registered');
  return client;
}

/** The `n`th accountStatus event (1-based) the client receives. */
async function nthStatus(client: RawGraphQLWs, n: number) {
  await eventually(() => client.messages.filter((message) => message.id === 'status').length >= n, 10_000, `status event ${n}`);
  const events = client.messages.filter((message) => message.id === 'status');
  expect(events[n - 1].type).toBe('next');
  return events[n - 1].payload.data.accountStatus;
}

async function member() {
  const sub = `push-${++counter}`;
  const id = await a.idOf(sub);
  const token = await signToken({ sub, now: clock.now() });
  // The member on both instances, and a moderator watching the member on b.
  const onA = await subscribed(a, token);
  const onB = await subscribed(b, token);
  const watcher = await subscribed(b, await tokenWithRoles('watching-moderator', ['moderator'], clock), { userId: id });
  return { sub, id, sockets: [onA, onB], watcher };
}

test('restrict then lift: RESTRICTED then ACTIVE on both instances, every socket stays open', async () => {
  const { id, sockets, watcher } = await member();
  const placed = await asModerator(a.url, 'moderator', clock)(RESTRICT_USER, { input: restrictInput(id) });
  expect(placed.errors).toBeUndefined();
  const restrictionId = placed.data!.restrictUser.accountStatus.restrictions[0].id;

  for (const client of [...sockets, watcher]) {
    const status = await nthStatus(client, 1);
    expect(status).toMatchObject({ userId: id, state: 'RESTRICTED', restrictions: [{ id: restrictionId, actions: ['SEND_MESSAGE'] }] });
    expect(status.capabilities.find((capability: { action: string }) => capability.action === 'SEND_MESSAGE')).toMatchObject({
      allowed: false,
      reason: 'INAPPROPRIATE_BEHAVIOR',
    });
  }
  // The member is not told the note nor who placed it; the watching moderator is.
  expect((await nthStatus(sockets[0]!, 1)).restrictions[0]).toMatchObject({ adminNote: null, createdBy: null });
  expect((await nthStatus(watcher, 1)).restrictions[0]).toMatchObject({ adminNote: 'Report #4411', createdBy: { id: expect.any(String) } });

  const lifted = await asModerator(b.url, 'moderator', clock)(LIFT_RESTRICTION, { input: { restrictionId, reason: 'Resolved' } });
  expect(lifted.errors).toBeUndefined();
  for (const client of [...sockets, watcher]) {
    expect(await nthStatus(client, 2)).toMatchObject({ userId: id, state: 'ACTIVE', restrictions: [] });
  }
  for (const client of [...sockets, watcher]) expect(client.isOpen).toBe(true);
  expect(sockets.flatMap((client) => client.timeline).some((entry) => entry.startsWith('close'))).toBe(false);
});

test('a restriction running out pushes ACTIVE on both instances by the clock alone', async () => {
  const { sub, id, sockets } = await member();
  const placed = await asModerator(a.url, 'moderator', clock)(RESTRICT_USER, { input: restrictInput(id, { duration: 'DAYS_7' }) });
  expect(placed.errors).toBeUndefined();
  for (const client of sockets) expect(await nthStatus(client, 1)).toMatchObject({ state: 'RESTRICTED' });
  const refused = await a.as(sub)(SEND_MESSAGE, { input: { recipientId: await a.idOf('recipient'), text: 'hi' } });
  expect(refused.errors?.[0]?.extensions.code).toBe('ACTION_RESTRICTED');

  clock.advance(7 * DAY_MS);
  // Nobody calls anything: each instance's expiry schedule settles it within a tick.
  for (const client of sockets) expect(await nthStatus(client, 2)).toMatchObject({ userId: id, state: 'ACTIVE', restrictions: [] });
  for (const client of sockets) expect(client.isOpen).toBe(true);
  const history = await a.as('admin', true)(`{ user(id: "${id}") { blockHistory { kind } } }`);
  expect(history.data!.user.blockHistory).toEqual([{ kind: 'RESTRICTION_EXPIRED' }, { kind: 'RESTRICTED' }]);
  const sent = await b.as(sub)(SEND_MESSAGE, { input: { recipientId: await a.idOf('recipient'), text: 'hi again' } });
  expect(sent.errors).toBeUndefined();
});

test('a restricted member connects and subscribes as usual', async () => {
  const sub = `push-${++counter}`;
  const id = await a.idOf(sub);
  await asModerator(a.url, 'moderator', clock)(RESTRICT_USER, { input: restrictInput(id, { actions: ['CREATE_LISTING', 'SEND_MESSAGE'] }) });
  const client = await subscribed(b, await signToken({ sub, now: clock.now() }));
  expect(client.isOpen).toBe(true);
});

test('a lost signal: the session sweep sends the new status to the subscriptions that missed it, once', async () => {
  // Another Redis prefix hears nothing of a and b; its sweep runs only when asked.
  const deaf = await startTestWarden({ clock, redisPrefix: testRedisPrefix(), env: { SESSION_SWEEP_INTERVAL_MS: '3600000' } });
  try {
    const sub = `push-${++counter}`;
    const id = await a.idOf(sub);
    const client = await subscribed(deaf, await signToken({ sub, now: clock.now() }));
    const placed = await asModerator(a.url, 'moderator', clock)(RESTRICT_USER, { input: restrictInput(id) });
    expect(placed.errors).toBeUndefined();
    expect(client.messages.filter((message) => message.id === 'status')).toEqual([]);
    await deaf.warden.sweepSessions();
    expect(await nthStatus(client, 1)).toMatchObject({ userId: id, state: 'RESTRICTED', restrictions: [{ actions: ['SEND_MESSAGE'] }] });

    // Nothing changed since: a second sweep sends nothing.
    await deaf.warden.sweepSessions();
    const restrictionId = placed.data!.restrictUser.accountStatus.restrictions[0].id;
    await asModerator(a.url, 'moderator', clock)(LIFT_RESTRICTION, { input: { restrictionId, reason: 'Resolved' } });
    await deaf.warden.sweepSessions();
    expect(await nthStatus(client, 2)).toMatchObject({ state: 'ACTIVE', restrictions: [] });
    expect(client.messages.filter((message) => message.id === 'status')).toHaveLength(2);
    expect(client.isOpen).toBe(true);
  } finally {
    await deaf.stop();
  }
});

test('the instance that saved it acts at once and then hears its own signal back by Redis: each subscription gets each status once', async () => {
  const { id, sockets } = await member();
  const placed = await asModerator(a.url, 'moderator', clock)(RESTRICT_USER, { input: restrictInput(id) });
  expect(placed.errors).toBeUndefined();
  for (const client of sockets) expect(await nthStatus(client, 1)).toMatchObject({ state: 'RESTRICTED' });
  const restrictionId = placed.data!.restrictUser.accountStatus.restrictions[0].id;
  // Saved on the same instance again: by the time its ACTIVE arrives, the echo of the
  // RESTRICTED signal has come back from Redis and been ignored.
  const lifted = await asModerator(a.url, 'moderator', clock)(LIFT_RESTRICTION, { input: { restrictionId, reason: 'Resolved' } });
  expect(lifted.errors).toBeUndefined();
  for (const client of sockets) expect(await nthStatus(client, 2)).toMatchObject({ state: 'ACTIVE' });
  for (const client of sockets) expect(client.messages.filter((message) => message.id === 'status').map((m) => m.payload.data.accountStatus.state)).toEqual(['RESTRICTED', 'ACTIVE']);
});
