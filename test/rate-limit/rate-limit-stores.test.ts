import type Redis from 'ioredis';
import { parse, getOperationAST } from 'graphql';
import type { RateDecision, RateLimitRule, RateLimitStore } from '../../domain/moderation/rate-limit';
import { RateLimitedError } from '../../domain/moderation/rate-limit';
import type { OffenceCounter } from '../../domain/moderation/automated-block-policy';
import { nextAutomatedBlockDuration } from '../../domain/moderation/automated-block-policy';
import type { BlockRecord } from '../../domain/user/block';
import { ConfigError, loadConfig } from '../../infrastructure/config/config';
import { createLogger } from '../../infrastructure/logging/logger';
import { FlexibleRateLimitStore } from '../../infrastructure/rate-limit/flexible-rate-limit-store';
import { createRedisClient, whenReady } from '../../infrastructure/redis/redis-clients';
import { clientIp, ipSubject } from '../../api/rate-limit/client-ip';
import { adminOnlyMutations, memberMutationCounter } from '../../api/rate-limit/member-mutations';
import { buildResolvers } from '../../api/resolvers';
import { buildSchema } from '../../api/schema';
import { testRedisPrefix, testRedisUrl } from '../support/test-env';

const log = createLogger('test');
let redis: Redis;

beforeAll(async () => {
  redis = createRedisClient(testRedisUrl(), 'commands', log);
  if (!(await whenReady(redis, 5_000))) throw new Error('test Redis not reachable');
});
afterAll(async () => {
  await redis.quit();
});

const rule = (max: number, windowMs = 60_000): RateLimitRule => ({ name: 'MEMBER_MUTATIONS', max, windowMs });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The same behaviour from both stores: Redis for deployments, memory for in-process mode.
describe.each([
  ['redis', () => FlexibleRateLimitStore.redis({ redis, prefix: testRedisPrefix(), log })],
  ['memory', () => FlexibleRateLimitStore.memory()],
] as [string, () => RateLimitStore & OffenceCounter][])('%s store', (_name, makeStore) => {
  test('allows `max` hits in the window, then refuses with the time until the oldest ages out', async () => {
    const store = makeStore();
    for (let i = 0; i < 3; i++) expect(await store.hit(rule(3), 'a')).toEqual({ allowed: true });
    const refused = await store.hit(rule(3), 'a');
    expect(refused).toMatchObject({ allowed: false, firstRefusal: true });
    if (refused.allowed) throw new Error('unreachable');
    expect(refused.retryAfterMs).toBeGreaterThan(55_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Later refusals of the same period are not "first": audited once per flood.
    expect(await store.hit(rule(3), 'a')).toMatchObject({ allowed: false, firstRefusal: false });
    // Subjects do not share counts.
    expect(await store.hit(rule(3), 'b')).toEqual({ allowed: true });
  });

  // Windows are whole seconds (rate-limiter-flexible's granularity; a shorter one is rounded up).
  test('refused hits are not counted, so the window opens again', async () => {
    const store = makeStore();
    expect(await store.hit(rule(2, 1_000), 's')).toEqual({ allowed: true });
    expect(await store.hit(rule(2, 1_000), 's')).toEqual({ allowed: true });
    let refused: RateDecision = { allowed: true };
    for (let i = 0; i < 5; i++) {
      refused = await store.hit(rule(2, 1_000), 's');
      expect(refused.allowed).toBe(false);
    }
    if (refused.allowed) throw new Error('unreachable');
    await sleep(refused.retryAfterMs + 100);
    expect(await store.hit(rule(2, 1_000), 's')).toEqual({ allowed: true });
  });

  test('a cost counts several hits at once; one that can never fit waits a whole window', async () => {
    const store = makeStore();
    expect(await store.hit(rule(5), 'c', 3)).toEqual({ allowed: true });
    expect((await store.hit(rule(5), 'c', 3)).allowed).toBe(false);
    expect(await store.hit(rule(5), 'c', 2)).toEqual({ allowed: true });
    expect(await store.hit(rule(5), 'd', 6)).toMatchObject({ allowed: false, retryAfterMs: 60_000 });
  });

  test('peek counts nothing', async () => {
    const store = makeStore();
    for (let i = 0; i < 5; i++) expect(await store.peek(rule(1), 'p')).toEqual({ allowed: true });
    await store.hit(rule(1), 'p');
    expect((await store.peek(rule(1), 'p')).allowed).toBe(false);
  });

  test('max 0 switches a limit off', async () => {
    const store = makeStore();
    for (let i = 0; i < 10; i++) expect(await store.hit(rule(0), 'z')).toEqual({ allowed: true });
  });

  test('concurrent hits never overshoot the limit', async () => {
    const store = makeStore();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.hit(rule(7), 'race')));
    expect(results.filter((result) => result.allowed)).toHaveLength(7);
  });

  test('offences: exactly one of many concurrent ones triggers, then counting pauses until release', async () => {
    const store = makeStore();
    const policy = { offences: 5, windowMs: 60_000 };
    const triggers = await Promise.all(Array.from({ length: 20 }, () => store.count('u1', policy)));
    expect(triggers.filter(Boolean)).toHaveLength(1);
    // Paused: nothing counts while the block is being placed.
    for (let i = 0; i < 10; i++) expect(await store.count('u1', policy)).toBe(false);
    await store.release('u1');
    // Counting starts over after the trigger.
    for (let i = 0; i < 4; i++) expect(await store.count('u1', policy)).toBe(false);
    expect(await store.count('u1', policy)).toBe(true);
    await store.release('u1');
  });

  test('offences outside the window do not count', async () => {
    const store = makeStore();
    const policy = { offences: 3, windowMs: 1_000 };
    expect(await store.count('u2', policy)).toBe(false);
    expect(await store.count('u2', policy)).toBe(false);
    await sleep(1_100);
    expect(await store.count('u2', policy)).toBe(false);
    expect(await store.count('u2', policy)).toBe(false);
    expect(await store.count('u2', policy)).toBe(true);
  });
});

test('the Redis store fails open, quickly, when Redis does not answer', async () => {
  const dead = createRedisClient('redis://127.0.0.1:1', 'commands', log);
  dead.on('error', () => undefined);
  try {
    const store = FlexibleRateLimitStore.redis({ redis: dead, prefix: testRedisPrefix(), log, timeoutMs: 200 });
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect(await store.hit(rule(1), 'x')).toEqual({ allowed: true });
    expect(await store.count('u', { offences: 1, windowMs: 1_000 })).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  } finally {
    dead.disconnect();
  }
});

test('the memory store stays bounded under a flood of distinct subjects', async () => {
  const store = FlexibleRateLimitStore.memory(100);
  for (let i = 0; i < 1_000; i++) {
    await store.hit(rule(1), `ip-${i}`);
    expect(store.keyCount).toBeLessThanOrEqual(100);
  }
  // Counting still works after starting over.
  expect(await store.hit(rule(1), 'ip-last')).toEqual({ allowed: true });
  expect((await store.hit(rule(1), 'ip-last')).allowed).toBe(false);
});

describe('automated block escalation', () => {
  const blocked = (by: string | null): BlockRecord => ({ kind: 'BLOCKED', at: new Date(), by, reason: 'OTHER', duration: 'DAYS_7', note: null });
  const ladder = ['DAYS_7', 'DAYS_30', 'DAYS_90'] as const;
  test.each([
    ['no history', [], 'DAYS_7'],
    ['only an admin block', [blocked('admin')], 'DAYS_7'],
    ['one automated block', [blocked(null)], 'DAYS_30'],
    ['two automated blocks and an admin one', [blocked(null), blocked('admin'), blocked(null)], 'DAYS_90'],
    ['four automated blocks (the last step repeats)', [blocked(null), blocked(null), blocked(null), blocked(null)], 'DAYS_90'],
  ] as [string, BlockRecord[], string][])('%s → %s', (_name, history, expected) => {
    expect(nextAutomatedBlockDuration(history, ladder)).toBe(expected);
  });
});

test('RateLimitedError rounds the wait up to whole seconds, never 0', () => {
  expect(new RateLimitedError('MEMBER_MUTATIONS', 1).retryAfterSeconds).toBe(1);
  expect(new RateLimitedError('MEMBER_MUTATIONS', 1_001).retryAfterSeconds).toBe(2);
  expect(new RateLimitedError('FAILED_AUTHS_PER_IP', 60_000).message).toMatch(/retry after 60 s/);
});

describe('client addresses', () => {
  const request = (remoteAddress: string | undefined, forwarded?: string) =>
    ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as never;
  test.each([
    ['the peer without trusted proxies', request('10.0.0.1', '6.6.6.6'), 0, '10.0.0.1'],
    ['IPv4-mapped IPv6 as IPv4', request('::ffff:127.0.0.1'), 0, '127.0.0.1'],
    ['the entry one hop from the right', request('10.0.0.1', '6.6.6.6, 203.0.113.9'), 1, '203.0.113.9'],
    ['the entry two hops from the right', request('10.0.0.1', '6.6.6.6, 203.0.113.9, 10.0.0.2'), 2, '203.0.113.9'],
    ['the peer when the header is garbage', request('10.0.0.1', 'not-an-ip'), 1, '10.0.0.1'],
    ['null without a socket address', request(undefined), 0, null],
  ])('%s', (_name, req, hops, expected) => {
    expect(clientIp(req, hops)).toBe(expected);
  });
  test.each([
    ['203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:ffff::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('per-IP limits count %s as %s', (ip, subject) => {
    expect(ipSubject(ip)).toBe(subject);
  });
});

describe('member mutations', () => {
  const schema = buildSchema(buildResolvers());
  const count = memberMutationCounter(schema);
  const cost = (query: string) => {
    const document = parse(query);
    return count(document, getOperationAST(document)!);
  };
  test('admin-only mutations are those documented "Admins only"', () => {
    expect(adminOnlyMutations(schema)).toEqual(expect.arrayContaining(['blockUser', 'unblockUser']));
    expect(adminOnlyMutations(schema)).not.toContain('createItemListing');
    expect(adminOnlyMutations(schema)).not.toContain('appealBlock');
  });
  test.each([
    ['a query', '{ me { id } }', 0],
    ['one member mutation', 'mutation { sendMessage(input: {recipientId: "x", text: "t"}) { id } }', 1],
    ['aliases, each', 'mutation { a: sendMessage(input: {recipientId: "x", text: "t"}) { id } b: sendMessage(input: {recipientId: "x", text: "t"}) { id } }', 2],
    ['fragments at the root', 'mutation { ...F } fragment F on Mutation { createItemListing(input: {title: "a", description: "b", category: "c", location: "d"}) { id } }', 1],
    ['an admin mutation', 'mutation { blockUser(input: {userId: "x", reason: OTHER, duration: DAYS_7, userMessage: "m"}) { id } }', 0],
    ['__typename only', 'mutation { __typename }', 0],
  ])('%s counts %s', (_name, query, expected) => {
    expect(cost(query)).toBe(expected);
  });
});

describe('configuration', () => {
  const base = { JWT_SECRET: 'x'.repeat(32) };
  test('defaults', () => {
    const config = loadConfig(base);
    expect(config.rateLimits).toEqual({ windowMs: 60_000, memberMutations: 60, connectionInits: 1_200, failedAuths: 30, trustedProxyHops: 0 });
    expect(config.automatedBlock).toMatchObject({ offences: 5, windowMs: 600_000, durations: ['DAYS_7', 'DAYS_30', 'DAYS_90'] });
    expect(config.automatedBlock.userMessage.length).toBeGreaterThan(10);
  });
  test('overrides', () => {
    const config = loadConfig({
      ...base,
      RATE_LIMIT_MEMBER_MUTATIONS: '3',
      RATE_LIMIT_CONNECTION_INITS: '0',
      RATE_LIMIT_FAILED_AUTHS: '2',
      RATE_LIMIT_WINDOW_MS: '5000',
      TRUSTED_PROXY_HOPS: '1',
      AUTO_BLOCK_OFFENCES: '2',
      AUTO_BLOCK_WINDOW_MS: '60000',
      AUTO_BLOCK_DURATIONS: 'DAYS_30, INDEFINITE',
      AUTO_BLOCK_USER_MESSAGE: '  Blocked by the robot.  ',
    });
    expect(config.rateLimits).toEqual({ windowMs: 5_000, memberMutations: 3, connectionInits: 0, failedAuths: 2, trustedProxyHops: 1 });
    expect(config.automatedBlock).toEqual({ offences: 2, windowMs: 60_000, durations: ['DAYS_30', 'INDEFINITE'], userMessage: 'Blocked by the robot.' });
  });
  test.each([
    ['a negative limit', 'RATE_LIMIT_MEMBER_MUTATIONS', '-1'],
    ['a window that is not a number', 'RATE_LIMIT_WINDOW_MS', 'soon'],
    ['an unknown duration', 'AUTO_BLOCK_DURATIONS', 'DAYS_7,FOREVER'],
    ['a user message over 1000 characters', 'AUTO_BLOCK_USER_MESSAGE', 'x'.repeat(1001)],
    ['a control character in the user message', 'AUTO_BLOCK_USER_MESSAGE', 'bell\u0007'],
    ['too many proxy hops', 'TRUSTED_PROXY_HOPS', '99'],
  ])('%s (%s) is refused at start', (_name, name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
  });
});
