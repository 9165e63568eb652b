import Redis from 'ioredis';
import {
  FORCE_DISCONNECT_REPLY_TIMEOUT_MS,
  PRESENCE_HEARTBEAT_MS,
  PRESENCE_TTL_MS,
} from '../../infrastructure/config/limits';
import { presenceKeys } from '../../infrastructure/presence/redis-presence';
import { stopAllInstances, type InstanceProcess } from '../multi/support/instance-process';
import { testRedisUrl } from '../support/test-env';
import { RawGraphQLWs, eventually } from '../support/ws-client';
import { FORCE_DISCONNECT, activeSessionCount, call, connect, idOf, startCluster, type Cluster } from './support/cluster';

// Instances are separate OS processes, so a SIGKILL is a real crash: nothing gets to clean up.
let cluster: Cluster;
let survivor: InstanceProcess;
let redis: Redis;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  cluster = await startCluster(['expiry-survivor']);
  survivor = cluster.instances[0]!;
  await idOf(survivor, 'admin', true);
  redis = new Redis(testRedisUrl());
}, 60_000);
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(async () => {
  redis?.disconnect();
  await stopAllInstances();
});

const count = (userId: string) => activeSessionCount(survivor, 'admin', userId);
const kick = (userId: string) => call(survivor, 'admin', FORCE_DISCONNECT, { userId, reason: 'expiry test' }, true);

/** Redis keys of the presence hashes of instances named `instanceId`. */
async function hashesOf(instanceId: string): Promise<string[]> {
  return redis.keys(`${presenceKeys(cluster.redisPrefix).instance(instanceId)}:*`);
}

async function indexed(instanceId: string): Promise<string[]> {
  const members = await redis.smembers(presenceKeys(cluster.redisPrefix).index);
  return members.filter((key) => key.startsWith(`${instanceId}:`));
}

test(`a SIGKILLed instance's sockets stop counting within PRESENCE_TTL_MS (${PRESENCE_TTL_MS} ms)`, async () => {
  const doomed = await cluster.add('expiry-doomed');
  const id = await idOf(survivor, 'crash-member');
  await connect(survivor, 'crash-member', open);
  await connect(doomed, 'crash-member', open);
  await connect(doomed, 'crash-member', open);
  await eventually(async () => (await count(id)) === 3, 5_000, 'three sockets counted');
  expect(await hashesOf('expiry-doomed')).toHaveLength(1);

  doomed.kill('SIGKILL');
  expect((await doomed.exited).signal).toBe('SIGKILL');
  const killedAt = Date.now();
  // Nobody told Redis: until its hash expires, the dead instance's sockets still count…
  expect(await count(id)).toBe(3);

  // …and forceDisconnect still waits for its answer, up to the reply timeout, then
  // reports what the instances that answered closed.
  const started = Date.now();
  const kicked = await kick(id);
  expect(kicked.errors).toBeUndefined();
  expect(kicked.data?.forceDisconnect).toBe(1);
  expect(Date.now() - started).toBeGreaterThanOrEqual(FORCE_DISCONNECT_REPLY_TIMEOUT_MS - 50);

  await eventually(async () => (await count(id)) === 0, PRESENCE_TTL_MS + PRESENCE_HEARTBEAT_MS, 'dead sockets to vanish');
  const vanishedAfter = Date.now() - killedAt;
  // Its last beat was at most one heartbeat before the kill, and the hash lives
  // PRESENCE_TTL_MS after it: the count drops in that window, neither earlier nor later
  // (1 s of slack for the polling and a loaded machine).
  const SLACK_MS = 1_000;
  expect(vanishedAfter).toBeLessThanOrEqual(PRESENCE_TTL_MS + SLACK_MS);
  expect(vanishedAfter).toBeGreaterThanOrEqual(PRESENCE_TTL_MS - PRESENCE_HEARTBEAT_MS - SLACK_MS);
  expect(await hashesOf('expiry-doomed')).toEqual([]);
  // The survivor's heartbeat prunes the dead instance from the index.
  await eventually(async () => (await indexed('expiry-doomed')).length === 0, 2 * PRESENCE_HEARTBEAT_MS, 'index pruned');

  // Dead instances are no longer waited for.
  await connect(survivor, 'crash-member', open);
  const fast = Date.now();
  expect((await kick(id)).data?.forceDisconnect).toBe(1);
  expect(Date.now() - fast).toBeLessThan(FORCE_DISCONNECT_REPLY_TIMEOUT_MS);
}, 60_000);

test('a gracefully stopped instance withdraws its presence at once', async () => {
  const leaving = await cluster.add('expiry-leaving');
  const id = await idOf(survivor, 'leaving-member');
  await connect(survivor, 'leaving-member', open);
  await connect(leaving, 'leaving-member', open);
  await eventually(async () => (await count(id)) === 2, 5_000, 'two sockets counted');

  await leaving.stop();
  expect((await leaving.exited).code).toBe(0);
  // No TTL to wait out: its hash and index entry went with it.
  expect(await count(id)).toBe(1);
  expect(await hashesOf('expiry-leaving')).toEqual([]);
  expect(await indexed('expiry-leaving')).toEqual([]);
}, 60_000);

test('no presence key is ever left without a TTL', async () => {
  const id = await idOf(survivor, 'ttl-member');
  // Churn: connects and closes write between heartbeats.
  for (let i = 0; i < 5; i++) {
    const socket = await connect(survivor, 'ttl-member', open);
    if (i % 2 === 0) socket.close();
  }
  await eventually(async () => (await count(id)) === 2, 5_000, 'two sockets left');
  const keys = await hashesOf('expiry-survivor');
  expect(keys).toHaveLength(1);
  const ttl = await redis.pttl(keys[0]!);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(PRESENCE_TTL_MS);
  expect(await redis.hget(keys[0]!, id)).toBe('2');
  // The index is a plain set of live instances; it expires only through pruning.
  expect(await indexed('expiry-survivor')).toHaveLength(1);
});
