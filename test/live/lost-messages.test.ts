import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { startDedicatedServices, testRedisPrefix, testRedisUrl, withDatabase } from '../support/test-env';
import { signToken } from '../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, RawGraphQLWs, eventually } from '../support/ws-client';
import { BLOCK_USER, blockInput } from '../api/operations';
import { DAY_MS, MutableClock } from '../support/mutable-clock';

// `deaf` serves the sockets; `other` shares its database but publishes on another prefix,
// so every block made through `other` is a fan-out message `deaf` never hears: exactly what
// Redis losing a message looks like. MongoDB must still win.
let deaf: TestWarden;
let other: TestWarden;
let counter = 0;
const clients: RawGraphQLWs[] = [];

beforeAll(async () => {
  deaf = await startTestWarden({ env: { SESSION_SWEEP_INTERVAL_MS: '3600000' } });
  other = await startTestWarden({ redisPrefix: testRedisPrefix() });
  await other.idOf('admin', true);
});
afterEach(() => clients.splice(0).forEach((client) => client.terminate()));
afterAll(async () => {
  await deaf.stop();
  await other.stop();
});

async function connectedMember() {
  const sub = `lost-${++counter}`;
  const id = await deaf.idOf(sub);
  const { client, acked } = await RawGraphQLWs.connect(deaf.url, await signToken({ sub }));
  clients.push(client);
  expect(acked).toBe(true);
  return { id, client };
}

const blockUnheard = async (id: string) => {
  const response = await other.as('admin', true)(BLOCK_USER, { input: blockInput(id) });
  expect(response.errors).toBeUndefined();
};

test('the next subscribe re-checks MongoDB and closes the socket with 4403', async () => {
  const { id, client } = await connectedMember();
  await blockUnheard(id);
  expect(client.isOpen).toBe(true);
  client.subscribe('s', ACCOUNT_STATUS_SUBSCRIPTION);
  expect((await client.waitClosed()).code).toBe(4403);
});

test('the session sweep closes every socket of a member blocked without a message', async () => {
  const first = await connectedMember();
  const second = await connectedMember();
  first.client.subscribe('s', ACCOUNT_STATUS_SUBSCRIPTION);
  await eventually(() => deaf.warden.registry.listenerCount >= 1, 5_000, 'subscription registered');
  await blockUnheard(first.id);
  await blockUnheard(second.id);

  await deaf.warden.sweepSessions();
  expect((await first.client.waitClosed()).code).toBe(4403);
  expect((await second.client.waitClosed()).code).toBe(4403);
  // Even found by the sweep, the member hears why before the close.
  const event = first.client.messages.find((message) => message.id === 's');
  expect(event.payload.data.accountStatus.state).toBe('BLOCKED');
});

test('the sweep leaves active members alone', async () => {
  const { client } = await connectedMember();
  await deaf.warden.sweepSessions();
  client.send({ type: 'ping' });
  await client.next((message) => message.type === 'pong');
  expect(client.isOpen).toBe(true);
});

test('an expiry never heard of is planned from MongoDB by the reconcile, and watching admins see ACTIVE', async () => {
  // Only this instance's clock moves: `other`, which did hear its own block, never settles it.
  const clock = new MutableClock();
  const hearing = await startTestWarden({ clock });
  try {
    const id = await hearing.idOf(`unheard-expiry-${++counter}`);
    const { client } = await RawGraphQLWs.connect(hearing.url, await signToken({ sub: 'admin', admin: true, now: clock.now() }));
    clients.push(client);
    client.subscribe('w', ACCOUNT_STATUS_SUBSCRIPTION, { userId: id });
    await eventually(() => hearing.warden.registry.listenerCount >= 1, 5_000, 'watch registered');
    await blockUnheard(id);

    clock.advance(7 * DAY_MS + 1_000);
    await hearing.warden.reconcileExpiries();
    const active = await client.next(
      (message) => message.id === 'w' && message.payload.data.accountStatus.state === 'ACTIVE',
      2_000 + 1_000, // one expiry tick, plus slack for this shared machine
    );
    expect(active.payload.data.accountStatus.userId).toBe(id);
  } finally {
    await hearing.stop();
  }
});

describe('a BLOCKED signal replayed late (outbox relay)', () => {
  const MINUTE_MS = 60_000;
  // What the relay republishes: the status as it was when the block was saved.
  async function replayBlocked(userId: string) {
    const then = new Date(Date.now() - MINUTE_MS);
    const status = { userId, state: 'BLOCKED', reason: 'LATE_RETURN', userMessage: 'old', blockedAt: then, expiresAt: null, changedAt: then };
    const redis = new Redis(testRedisUrl());
    try {
      const signal = { status, eventId: randomUUID(), type: 'user.blocked', correlationId: 'replay', actorId: null };
      await redis.publish(deaf.warden.channels.accountStatus, JSON.stringify(signal));
    } finally {
      redis.disconnect();
    }
  }

  test('leaves an active member connected and shows watchers the status MongoDB has now', async () => {
    const { id, client } = await connectedMember();
    const { client: watcher } = await RawGraphQLWs.connect(deaf.url, await signToken({ sub: 'admin', admin: true }));
    clients.push(watcher);
    watcher.subscribe('w', ACCOUNT_STATUS_SUBSCRIPTION, { userId: id });
    await eventually(() => deaf.warden.registry.listenerCount >= 1, 5_000, 'watch registered');

    await replayBlocked(id);
    const seen = await watcher.next((message) => message.id === 'w');
    expect(seen.payload.data.accountStatus).toMatchObject({ userId: id, state: 'ACTIVE' });
    client.send({ type: 'ping' });
    await client.next((message) => message.type === 'pong');
    expect(client.isOpen).toBe(true);
  });

  test('still closes the sockets of a member MongoDB says is blocked', async () => {
    const { id, client } = await connectedMember();
    await blockUnheard(id);
    await replayBlocked(id);
    expect((await client.waitClosed()).code).toBe(4403);
  });
});

describe('when MongoDB cannot be read', () => {
  test('a subscribe is refused with SERVICE_UNAVAILABLE and the socket stays; the next works once it is back', async () => {
    const services = await startDedicatedServices();
    const api = await startTestWarden({ mongoUri: withDatabase(services.mongo.uri, 'outage') });
    try {
      await api.idOf('outage-member');
      const { client, acked } = await RawGraphQLWs.connect(api.url, await signToken({ sub: 'outage-member' }));
      expect(acked).toBe(true);
      await services.mongo.stop();
      client.subscribe('down', ACCOUNT_STATUS_SUBSCRIPTION);
      const refused = await client.next((message) => message.id === 'down', 15_000);
      expect(refused.type).toBe('error');
      expect(refused.payload[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(client.isOpen).toBe(true);

      await services.mongo.start();
      await eventually(async () => {
        client.subscribe(`up-${Date.now()}`, '{ me { externalId } }');
        const answer = await client.next((message) => String(message.id).startsWith('up-') && message.type !== 'complete');
        client.messages.length = 0;
        return answer.type === 'next' && answer.payload.data?.me?.externalId === 'outage-member';
      }, 20_000, 'MongoDB to serve again');
      client.close();
    } finally {
      await api.stop();
      await services.dispose();
    }
  }, 60_000);

  test('a connection whose standing cannot be read is refused with 1013, not let in', async () => {
    const services = await startDedicatedServices();
    const api = await startTestWarden({ mongoUri: withDatabase(services.mongo.uri, 'outage') });
    try {
      await services.mongo.stop();
      const { client, acked } = await RawGraphQLWs.connect(api.url, await signToken({ sub: 'nobody-knows' }));
      expect(acked).toBe(false);
      expect((await client.waitClosed(15_000)).code).toBe(1013);
    } finally {
      await api.stop();
      await services.dispose();
    }
  }, 60_000);
});
