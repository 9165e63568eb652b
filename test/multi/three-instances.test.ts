/**
 * Three Warden processes of one deployment (one Redis prefix, one database). The session
 * sweep is set to 10 minutes, so every close seen here comes from the Redis fan-out.
 * The tests run in order and tell one story: M blocked, refused, unblocked.
 */
import { testMongoUri, testRedisPrefix, testRedisUrl } from '../support/test-env';
import {
  ACCOUNT_STATUS_SUBSCRIPTION,
  BLOCK_USER,
  MESSAGE_ADDED_SUBSCRIPTION,
  SEND_MESSAGE,
  SocketBag,
  UNBLOCK_USER,
  WAIT_MS,
  as,
  blockInput,
  blockedThenClosed,
  eventsOf,
  newMember,
  probeLive,
  type Member,
  type RawGraphQLWs,
} from './support/cluster-client';
import {
  START_TIMEOUT_MS,
  runningInstances,
  startInstances,
  stopAllInstances,
  type InstanceProcess,
} from './support/instance-process';

jest.setTimeout(60_000);

const SWEEP_INTERVAL_MS = 600_000;

let instances: InstanceProcess[] = [];
const sockets = new SocketBag();
let admin: Member;
let M: Member;
let N: Member;

/** M's sockets: one per instance with `s`, plus one on instance 2 with `s1` and `s2`. */
const mSockets: { client: RawGraphQLWs; on: number; statusIds: string[] }[] = [];
let nSocket: RawGraphQLWs;
let watcher: RawGraphQLWs;
let blockAnswer: Record<string, any> | undefined;

const instance = (n: 1 | 2 | 3): InstanceProcess => instances[n - 1]!;

beforeAll(async () => {
  const mongoUri = testMongoUri();
  const redisPrefix = testRedisPrefix();
  instances = await startInstances(
    [1, 2, 3].map((n) => ({
      instanceId: `three-${n}`,
      mongoUri,
      redisUrl: testRedisUrl(),
      redisPrefix,
      sweepIntervalMs: SWEEP_INTERVAL_MS,
      readyTimeoutMs: START_TIMEOUT_MS,
    })),
  );
  admin = await newMember(instance(1), 'admin', true);
  [M, N] = await Promise.all([newMember(instance(1), 'm'), newMember(instance(2), 'n')]);
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  sockets.terminateAll();
  await stopAllInstances();
  expect(runningInstances()).toHaveLength(0);
});

test('a block through instance 1 sends BLOCKED to every socket of the member on every instance, then closes each with 4403', async () => {
  for (const n of [1, 2, 3] as const) {
    const client = await sockets.connect(instance(n), M.sub);
    client.subscribe('s', ACCOUNT_STATUS_SUBSCRIPTION);
    mSockets.push({ client, on: n, statusIds: ['s'] });
  }
  const double = await sockets.connect(instance(2), M.sub);
  double.subscribe('s1', ACCOUNT_STATUS_SUBSCRIPTION);
  double.subscribe('s2', ACCOUNT_STATUS_SUBSCRIPTION, { userId: M.id });
  mSockets.push({ client: double, on: 2, statusIds: ['s1', 's2'] });

  nSocket = await sockets.connect(instance(1), N.sub);
  nSocket.subscribe('n', MESSAGE_ADDED_SUBSCRIPTION);
  watcher = await sockets.connect(instance(3), admin.sub, true);
  watcher.subscribe('w', ACCOUNT_STATUS_SUBSCRIPTION, { userId: M.id });

  await probeLive(instance(2), [
    ...mSockets.map(({ client }) => ({ client, recipient: M })),
    { client: nSocket, recipient: N },
    { client: watcher, recipient: admin },
  ]);
  const nBefore = eventsOf(nSocket, 'n').length;

  const answer = await as(instance(1), admin.sub, BLOCK_USER, { input: blockInput(M.id, { duration: 'DAYS_30' }) }, true);
  expect(answer.errors).toBeUndefined();
  blockAnswer = answer.data!.blockUser;
  expect(blockAnswer).toMatchObject({ id: M.id, isBlocked: true, accountStatus: { state: 'BLOCKED' } });
  const expected = {
    userId: M.id,
    state: 'BLOCKED',
    reason: 'LATE_RETURN',
    userMessage: blockInput(M.id).userMessage,
    expiresAt: blockAnswer!.accountStatus.expiresAt,
  };
  expect(expected.expiresAt).toEqual(expect.any(String));

  const closes = await Promise.all(mSockets.map(({ client }) => client.waitClosed(WAIT_MS)));
  for (const [index, { client, on, statusIds }] of mSockets.entries()) {
    expect({ on, close: closes[index] }).toEqual({ on, close: { code: 4403, reason: 'Forbidden: account blocked' } });
    for (const id of statusIds) {
      const events = eventsOf(client, id);
      expect({ on, id, events }).toEqual({ on, id, events: [{ data: { accountStatus: expect.objectContaining(expected) } }] });
    }
    expect({ on, order: blockedThenClosed(client, statusIds) }).toEqual({ on, order: { ok: true, why: '' } });
  }

  // The admin watching from instance 3 saw it too, and keeps the socket.
  const seen = await watcher.next((m) => m.id === 'w' && m.payload?.data?.accountStatus?.state === 'BLOCKED', WAIT_MS);
  expect(seen.payload.data.accountStatus).toMatchObject(expected);
  expect(watcher.isOpen).toBe(true);

  // The bystander keeps its socket and receives a message sent after the block through instance 3.
  const sent = await as(instance(3), 'sender', SEND_MESSAGE, { input: { recipientId: N.id, text: 'after the block' } });
  expect(sent.errors).toBeUndefined();
  const received = await nSocket.next((m) => m.id === 'n' && m.payload?.data?.messageAdded?.text === 'after the block', WAIT_MS);
  expect(received.payload.data.messageAdded.recipient.id).toBe(N.id);
  expect(eventsOf(nSocket, 'n').length).toBe(nBefore + 1);
  expect(nSocket.isOpen).toBe(true);
  expect(nSocket.timeline.some((entry) => entry.startsWith('close'))).toBe(false);
});

test('the blocked member is refused with 4403 on every instance, before any message', async () => {
  expect(blockAnswer).toBeDefined();
  for (const n of [1, 2, 3] as const) {
    const { client, acked } = await sockets.attempt(instance(n), M.sub);
    expect({ n, acked }).toEqual({ n, acked: false });
    expect({ n, closed: await client.waitClosed(WAIT_MS) }).toEqual({
      n,
      closed: { code: 4403, reason: 'Forbidden: account blocked' },
    });
    expect(client.messages).toEqual([]);
  }
});

test('after an unblock through instance 2, the watching admin sees ACTIVE and the member subscribes again on every instance', async () => {
  expect(blockAnswer).toBeDefined();
  const unblocked = await as(instance(2), admin.sub, UNBLOCK_USER, { input: { userId: M.id, reason: 'appeal accepted' } }, true);
  expect(unblocked.errors).toBeUndefined();
  expect(unblocked.data!.unblockUser).toMatchObject({ id: M.id, isBlocked: false, accountStatus: { state: 'ACTIVE' } });

  const active = await watcher.next((m) => m.id === 'w' && m.payload?.data?.accountStatus?.state === 'ACTIVE', WAIT_MS);
  expect(active.payload.data.accountStatus).toMatchObject({ userId: M.id, state: 'ACTIVE', userMessage: null, expiresAt: null });
  expect(eventsOf(watcher, 'w').map((payload) => payload.data.accountStatus.state)).toEqual(['BLOCKED', 'ACTIVE']);

  const again: RawGraphQLWs[] = [];
  for (const n of [1, 2, 3] as const) {
    const client = await sockets.connect(instance(n), M.sub);
    client.subscribe('m', MESSAGE_ADDED_SUBSCRIPTION);
    client.subscribe('s', ACCOUNT_STATUS_SUBSCRIPTION);
    again.push(client);
  }
  // The probe is a messageAdded subscription on each socket: a message reaching all three
  // is the subscription working on every instance.
  await probeLive(instance(3), again.map((client) => ({ client, recipient: M })));
  const sent = await as(instance(1), 'sender', SEND_MESSAGE, { input: { recipientId: M.id, text: 'welcome back' } });
  expect(sent.errors).toBeUndefined();
  for (const [index, client] of again.entries()) {
    const message = await client.next((m) => m.id === 'm' && m.payload?.data?.messageAdded?.text === 'welcome back', WAIT_MS);
    expect({ on: index + 1, to: message.payload.data.messageAdded.recipient.id }).toEqual({ on: index + 1, to: M.id });
    expect(client.isOpen).toBe(true);
    expect(eventsOf(client, 's')).toEqual([]);
  }
});
