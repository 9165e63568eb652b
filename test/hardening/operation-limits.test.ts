import { startWarden, type Warden } from '../../api/start-warden';
import { loadConfig } from '../../infrastructure/config/config';
import { createLogger } from '../../infrastructure/logging/logger';
import { startFreezableProxy, type FreezableProxy } from '../infrastructure/freezable-proxy';
import { outcome, post, type RawResponse } from '../rate-limit/support';
import { testMongoUri, testRedisPrefix, testRedisUrl } from '../support/test-env';
import { signToken, TEST_JWT_SECRET } from '../support/tokens';
import { eventually, type RawGraphQLWs } from '../support/ws-client';
import { openSocket, uniqueSub, wsCodes, wsOperation } from './support';

/**
 * Issue 12, item 1: one caller must not be able to occupy the server. The audit store sits
 * behind a proxy that can go silent, so `moderationLog` hangs on demand: that is how a test
 * holds operations in flight without timing anything.
 */
const LOG = '{ moderationLog(first: 5) { nodes { id } } }';
const ME = '{ me { id } }';

let proxy: FreezableProxy;
let warden: Warden;
const sockets: RawGraphQLWs[] = [];
let address = 0;
const newIp = () => `198.51.100.${++address}`;

beforeAll(async () => {
  const audit = new URL(testMongoUri('operation-limits-audit'));
  proxy = await startFreezableProxy({ host: audit.hostname, port: Number(audit.port) });
  audit.host = `127.0.0.1:${proxy.port}`;
  warden = await startWarden({
    config: loadConfig({
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      INSTANCE_ID: 'operation-limits',
      TRUSTED_PROXY_HOPS: '1',
      MAX_CONCURRENT_OPERATIONS_PER_MEMBER: '2',
      MAX_CONCURRENT_OPERATIONS_PER_IP: '3',
      OPERATION_TIMEOUT_MS: '1000',
      MAX_RESPONSE_BYTES: '4096',
    }),
    mongoUri: testMongoUri(),
    auditMongoUri: audit.toString(),
    redisUrl: testRedisUrl(),
    redisPrefix: testRedisPrefix(),
    log: createLogger('test'),
  });
}, 60_000);
afterEach(() => proxy.thaw());
afterAll(async () => {
  sockets.splice(0).forEach((socket) => socket.terminate());
  proxy.thaw();
  await warden.stop();
  await proxy.close();
});

async function caller(admin = false) {
  const token = await signToken({ sub: uniqueSub(admin ? 'staff' : 'member'), admin });
  const ip = newIp();
  const ask = (query: string, from = ip) => post(warden.url, query, {}, { token, ip: from });
  expect(outcome(await ask(ME))).toBe('OK');
  return { token, ip, ask };
}

/** Starts `count` requests that hang on the silent audit store, and waits until they run. */
async function hang(ask: (query: string) => Promise<RawResponse>, count: number): Promise<Promise<RawResponse>[]> {
  const before = warden.operations.inFlight;
  const pending = Array.from({ length: count }, () => ask(LOG));
  await eventually(() => warden.operations.inFlight === before + count, 10_000, 'operations in flight');
  return pending;
}

test('a member over its concurrent operations is refused at once on both transports; others are served; the hung ones time out', async () => {
  const attacker = await caller(true);
  const bystander = await caller();
  const socket = await openSocket(warden.url, attacker.token);
  sockets.push(socket);
  proxy.freeze();
  const hung = await hang(attacker.ask, 2);

  const refused = await attacker.ask(ME);
  expect(refused.status).toBe(429);
  expect(refused.retryAfter).toBe('1');
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'CONCURRENT_OPERATIONS_PER_MEMBER' });
  const overSocket = await wsOperation(socket, ME);
  expect(wsCodes(overSocket)).toEqual(['RATE_LIMITED']);
  expect(overSocket.payload.errors[0].extensions.limit).toBe('CONCURRENT_OPERATIONS_PER_MEMBER');

  // Everybody else is served meanwhile.
  const served = await bystander.ask(ME);
  expect(served.errors).toBeUndefined();
  expect(served.data?.me.id).toEqual(expect.any(String));

  // The server stops the hung ones itself: TIMEOUT, not a wait for MongoDB's own timeouts.
  for (const response of await Promise.all(hung)) {
    expect(response.status).toBe(503);
    expect(response.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'TIMEOUT', limit: 'OPERATION_TIMEOUT' }) }),
    ]);
    expect(response.data).toBeUndefined();
  }
  expect(warden.operations.inFlight).toBe(0);
  expect(outcome(await attacker.ask(ME))).toBe('OK');
});

test('several members behind one address share its limit; other addresses are served', async () => {
  const first = await caller(true);
  const second = await caller(true);
  const bystander = await caller();
  const shared = newIp();
  proxy.freeze();
  const hung = [...(await hang((q) => first.ask(q, shared), 2)), ...(await hang((q) => second.ask(q, shared), 1))];

  const refused = await second.ask(ME, shared);
  expect(refused.status).toBe(429);
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'CONCURRENT_OPERATIONS_PER_IP' });
  expect(outcome(await second.ask(ME))).toBe('OK');
  expect(outcome(await bystander.ask(ME))).toBe('OK');
  expect((await Promise.all(hung)).map(outcome)).toEqual(['TIMEOUT', 'TIMEOUT', 'TIMEOUT']);
});

test('an operation over the socket that outlives the deadline gets TIMEOUT and the socket stays', async () => {
  const staff = await caller(true);
  const socket = await openSocket(warden.url, staff.token);
  sockets.push(socket);
  proxy.freeze();
  expect(wsCodes(await wsOperation(socket, LOG))).toEqual(['TIMEOUT']);
  proxy.thaw();
  expect(wsCodes(await wsOperation(socket, ME))).toEqual([]);
});

test('a response over MAX_RESPONSE_BYTES is replaced by BAD_USER_INPUT on both transports', async () => {
  const member = await caller();
  const big = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: me { id externalId displayName role accountStatus { state changedAt } }`).join(' ')} }`;
  const response = await member.ask(big);
  expect(response.status).toBe(400);
  expect(response.data).toBeUndefined();
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'MAX_RESPONSE_BYTES' });
  const socket = await openSocket(warden.url, member.token);
  sockets.push(socket);
  const overSocket = await wsOperation(socket, big);
  expect(wsCodes(overSocket)).toEqual(['BAD_USER_INPUT']);
  expect(overSocket.payload.data).toBeUndefined();
  expect(outcome(await member.ask(ME))).toBe('OK');
});

test('a subscription over HTTP is 400 BAD_REQUEST: subscriptions are WebSocket only', async () => {
  const member = await caller();
  const response = await member.ask('subscription { accountStatus { state } }');
  expect(response.status).toBe(400);
  expect(response.errors).toEqual([
    expect.objectContaining({ message: expect.stringMatching(/WebSocket only/), extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) }),
  ]);
});
