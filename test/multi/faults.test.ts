/**
 * Faults across processes, on a Redis this file owns (it is stopped and restarted) and
 * its own MongoDB databases. Two deployments share that Redis:
 *
 * - A: two instances sweeping sessions every second: with Redis down, the sweep alone
 *   must close a blocked member's sockets.
 * - B: three instances sweeping every 10 minutes (never within this file): whatever
 *   closes a socket there is the Redis fan-out.
 *
 * The tests run in order: Redis goes down in the first and comes back in the second.
 */
import Redis from 'ioredis';
import { CREATE_LISTING, LISTING_INPUT } from '../api/operations';
import { errorCode } from '../support/graphql-http';
import { startDedicatedServices, testRedisPrefix, withDatabase, type DedicatedServices } from '../support/test-env';
import { eventually } from '../support/ws-client';
import {
  ACCOUNT_STATUS_SUBSCRIPTION,
  BLOCK_USER,
  SEND_MESSAGE,
  SocketBag,
  WAIT_MS,
  as,
  blockInput,
  blockedThenClosed,
  eventsOf,
  newMember,
  probeLive,
  recordCloseTimes,
  type Member,
  type RawGraphQLWs,
} from './support/cluster-client';
import {
  START_TIMEOUT_MS,
  readiness,
  runningInstances,
  startInstances,
  stopAllInstances,
  type InstanceProcess,
} from './support/instance-process';

jest.setTimeout(60_000);

const FAST_SWEEP_MS = 1_000;
const NEVER_SWEEP_MS = 600_000;
/** Scheduling slack on a loaded 2-core machine, on top of what is being bounded. */
const SLACK_MS = 4_000;
/** A fan-out close must come this fast: orders of magnitude under B's sweep interval. */
const FANOUT_BOUND_MS = 5_000;

const PREFIX_A = testRedisPrefix();
const PREFIX_B = testRedisPrefix();

let services: DedicatedServices;
let A: InstanceProcess[] = [];
let B: InstanceProcess[] = [];
const sockets = new SocketBag();
let adminA: Member;
let adminB: Member;

beforeAll(async () => {
  services = await startDedicatedServices();
  const deployment = (name: string, count: number, prefix: string, sweepIntervalMs: number) =>
    Array.from({ length: count }, (_, i) => ({
      instanceId: `faults-${name}${i + 1}`,
      mongoUri: withDatabase(services.mongo.uri, `warden_faults_${name}`),
      redisUrl: services.redis.url,
      redisPrefix: prefix,
      sweepIntervalMs,
      readyTimeoutMs: START_TIMEOUT_MS,
    }));
  const all = await startInstances([...deployment('a', 2, PREFIX_A, FAST_SWEEP_MS), ...deployment('b', 3, PREFIX_B, NEVER_SWEEP_MS)]);
  A = all.slice(0, 2);
  B = all.slice(2);
  [adminA, adminB] = await Promise.all([newMember(A[0]!, 'admin', true), newMember(B[0]!, 'admin', true)]);
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  sockets.terminateAll();
  await stopAllInstances();
  await services?.dispose();
  expect(runningInstances()).toHaveLength(0);
});

async function allReadiness(instances: InstanceProcess[]) {
  return Promise.all(instances.map((instance) => readiness(instance)));
}

/** How many connections are subscribed to both of a deployment's channels. */
async function subscribers(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  try {
    await client.connect();
    const reply = (await client.call('PUBSUB', 'NUMSUB', `${prefix}account-status`, `${prefix}message-sent`)) as (string | number)[];
    return Math.min(Number(reply[1]), Number(reply[3]));
  } catch {
    return -1;
  } finally {
    client.disconnect();
  }
}

/** Opens one socket of `member` per instance, each with an `accountStatus` subscription `s`. */
async function socketsOn(instances: InstanceProcess[], member: Member): Promise<RawGraphQLWs[]> {
  const clients: RawGraphQLWs[] = [];
  for (const instance of instances) {
    const client = await sockets.connect(instance, member.sub);
    client.subscribe('s', ACCOUNT_STATUS_SUBSCRIPTION);
    clients.push(client);
  }
  return clients;
}

function expectBlockedThenClosed(clients: RawGraphQLWs[], expected: Record<string, unknown>): void {
  for (const [index, client] of clients.entries()) {
    expect({ socket: index, events: eventsOf(client, 's') }).toEqual({
      socket: index,
      events: [{ data: { accountStatus: expect.objectContaining(expected) } }],
    });
    expect({ socket: index, order: blockedThenClosed(client, ['s']) }).toEqual({ socket: index, order: { ok: true, why: '' } });
  }
}

describe('Redis outage', () => {
  test('with Redis down a block succeeds and the session sweep closes every socket of the member within one interval', async () => {
    const M = await newMember(A[0]!, 'm');
    const mSockets = await socketsOn(A, M);
    await probeLive(A[1]!, mSockets.map((client) => ({ client, recipient: M })));

    await services.redis.stop();
    await eventually(
      async () => (await allReadiness([...A, ...B])).every((ready) => ready?.unavailable.includes('redis')),
      WAIT_MS,
      'every instance to report Redis down',
    );

    const closeTimes = recordCloseTimes(mSockets);
    const sentAt = Date.now();
    const answer = await as(A[0]!, adminA.sub, BLOCK_USER, { input: blockInput(M.id) }, true);
    const answeredAt = Date.now();
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.blockUser).toMatchObject({ id: M.id, isBlocked: true, accountStatus: { state: 'BLOCKED' } });
    expect(answeredAt - sentAt).toBeLessThan(5_000);

    // The block is in force on every instance for HTTP, Redis or not.
    const refusedMessage = await as(A[1]!, M.sub, SEND_MESSAGE, { input: { recipientId: adminA.id, text: 'let me explain' } });
    expect(errorCode(refusedMessage)).toBe('ACCOUNT_BLOCKED');
    const refusedListing = await as(A[0]!, M.sub, CREATE_LISTING, { input: LISTING_INPUT });
    expect(errorCode(refusedListing)).toBe('ACCOUNT_BLOCKED');

    const closes = await Promise.all(mSockets.map((client) => client.waitClosed(FAST_SWEEP_MS + SLACK_MS + WAIT_MS)));
    expect(closes.map((closed) => closed.code)).toEqual([4403, 4403]);
    expectBlockedThenClosed(mSockets, {
      userId: M.id,
      state: 'BLOCKED',
      userMessage: blockInput(M.id).userMessage,
      expiresAt: answer.data!.blockUser.accountStatus.expiresAt,
    });
    for (const client of mSockets) {
      expect(closeTimes.get(client)! - answeredAt).toBeLessThanOrEqual(FAST_SWEEP_MS + SLACK_MS);
    }
  });

  test('once Redis is back the fan-out closes sockets again, without restarting any instance', async () => {
    await services.redis.start();
    await eventually(
      async () => (await allReadiness([...A, ...B])).every((ready) => ready?.ready === true),
      WAIT_MS,
      'every instance ready again',
    );
    // Every instance's subscriber is back: the Redis `ready` that triggers its one
    // reconnect sweep came before its SUBSCRIBE reached Redis.
    await eventually(
      async () => (await subscribers(services.redis.url, PREFIX_A)) === A.length && (await subscribers(services.redis.url, PREFIX_B)) === B.length,
      WAIT_MS,
      'every instance resubscribed',
    );
    expect(A.concat(B).every((instance) => !instance.hasExited)).toBe(true);

    // K connects after that reconnect sweep took its list of members, and B's periodic
    // sweep is 10 minutes away: only the fan-out can close K's sockets now.
    const K = await newMember(B[0]!, 'k');
    const kSockets = await socketsOn(B, K);
    await probeLive(B[1]!, kSockets.map((client) => ({ client, recipient: K })));

    const closeTimes = recordCloseTimes(kSockets);
    const sentAt = Date.now();
    const answer = await as(B[0]!, adminB.sub, BLOCK_USER, { input: blockInput(K.id, { duration: 'INDEFINITE' }) }, true);
    expect(answer.errors).toBeUndefined();

    const closes = await Promise.all(kSockets.map((client) => client.waitClosed(WAIT_MS)));
    expect(closes.map((closed) => closed.code)).toEqual([4403, 4403, 4403]);
    expectBlockedThenClosed(kSockets, { userId: K.id, state: 'BLOCKED', expiresAt: null });
    for (const client of kSockets) expect(closeTimes.get(client)! - sentAt).toBeLessThan(FANOUT_BOUND_MS);
  });
});

describe('an instance killed with SIGKILL', () => {
  test('the others keep serving and terminating', async () => {
    const [b1, b2, b3] = B as [InstanceProcess, InstanceProcess, InstanceProcess];
    const L = await newMember(b1, 'l');
    const lSockets = await socketsOn(B, L);
    await probeLive(b1, lSockets.map((client) => ({ client, recipient: L })));
    const [onB1, onB2, onB3] = lSockets as [RawGraphQLWs, RawGraphQLWs, RawGraphQLWs];

    b3.kill('SIGKILL');
    expect(await b3.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await onB3.waitClosed(WAIT_MS)).code).toBe(1006);

    for (const survivor of [b1, b2]) {
      expect(await readiness(survivor)).toEqual({ ready: true, unavailable: [] });
      const me = await as(survivor, L.sub, '{ me { id isBlocked } }');
      expect(me).toMatchObject({ status: 200, data: { me: { id: L.id, isBlocked: false } } });
    }

    const closeTimes = recordCloseTimes([onB1, onB2]);
    const sentAt = Date.now();
    const answer = await as(b2, adminB.sub, BLOCK_USER, { input: blockInput(L.id) }, true);
    expect(answer.errors).toBeUndefined();
    const closes = await Promise.all([onB1, onB2].map((client) => client.waitClosed(WAIT_MS)));
    expect(closes.map((closed) => closed.code)).toEqual([4403, 4403]);
    expectBlockedThenClosed([onB1, onB2], { userId: L.id, state: 'BLOCKED' });
    for (const client of [onB1, onB2]) expect(closeTimes.get(client)! - sentAt).toBeLessThan(FANOUT_BOUND_MS);

    const retry = await sockets.attempt(b1, L.sub);
    expect(retry.acked).toBe(false);
    expect((await retry.client.waitClosed(WAIT_MS)).code).toBe(4403);
  });
});
