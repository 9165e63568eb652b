import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';
import { testRedisPrefix } from '../support/test-env';
import { CREATE, auditEntries, outcome, post } from './support';

// Small limits; automated blocks off here (automated-block.test.ts covers them).
const ENV = {
  RATE_LIMIT_MEMBER_MUTATIONS: '3',
  RATE_LIMIT_FAILED_AUTHS: '3',
  TRUSTED_PROXY_HOPS: '1',
  AUTO_BLOCK_OFFENCES: '0',
};

let a: TestWarden;
let b: TestWarden;
let counter = 0;

beforeAll(async () => {
  // Two instances of one deployment: same database, same Redis prefix.
  a = await startTestWarden({ env: ENV });
  b = await startTestWarden({ env: ENV });
});
afterAll(async () => {
  await a.stop();
  await b.stop();
});

const member = async () => {
  const sub = `member-${++counter}`;
  return { sub, token: await signToken({ sub }) };
};
const ip = () => `198.51.100.${++counter % 250}`;

describe('member mutations', () => {
  test('past the limit: HTTP 429, Retry-After, RATE_LIMITED with retryAfter, and nothing is created', async () => {
    const { token } = await member();
    for (let i = 0; i < 3; i++) expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('OK');
    const refused = await post(a.url, CREATE, {}, { token });
    expect(refused.status).toBe(429);
    expect(refused.data ?? null).toBeNull();
    const error = refused.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'MEMBER_MUTATIONS' });
    expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.extensions.retryAfter).toBeLessThanOrEqual(60);
    expect(error.extensions).not.toHaveProperty('http');
    expect(Number(refused.retryAfter)).toBe(error.extensions.retryAfter);
    expect(error.message).toMatch(/retry after \d+ s/);

    const mine = await post(a.url, '{ myListings { nodes { id } } }', {}, { token });
    expect(mine.data?.myListings.nodes).toHaveLength(3);
  });

  test('the limit holds across instances sharing Redis', async () => {
    const { token } = await member();
    expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('OK');
    expect(outcome(await post(b.url, CREATE, {}, { token }))).toBe('OK');
    expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('OK');
    const refused = await post(b.url, CREATE, {}, { token });
    expect(refused.status).toBe(429);
    expect(outcome(refused)).toBe('RATE_LIMITED');
  });

  test('each member has their own count; queries are not counted', async () => {
    const first = await member();
    const second = await member();
    for (let i = 0; i < 3; i++) await post(a.url, CREATE, {}, { token: first.token });
    for (let i = 0; i < 5; i++) expect(outcome(await post(a.url, '{ me { id } }', {}, { token: first.token }))).toBe('OK');
    expect(outcome(await post(a.url, CREATE, {}, { token: second.token }))).toBe('OK');
  });

  test('aliased mutations count one each, and an operation that does not fit runs none of them', async () => {
    const { token } = await member();
    const two = `mutation { a: createItemListing(input: { title: "A", description: "d", category: "c", location: "l" }) { id }
                            b: createItemListing(input: { title: "B", description: "d", category: "c", location: "l" }) { id } }`;
    expect(outcome(await post(a.url, two, {}, { token }))).toBe('OK');
    expect(outcome(await post(a.url, two, {}, { token }))).toBe('RATE_LIMITED');
    expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('OK');
    const mine = await post(a.url, '{ myListings { nodes { id } } }', {}, { token });
    expect(mine.data?.myListings.nodes).toHaveLength(3);
  });

  test("admins' admin-only mutations are not throttled", async () => {
    const admin = await signToken({ sub: 'admin', admin: true });
    const target = await a.idOf('target-of-many-blocks');
    const block = `mutation($id: ID!) { blockUser(input: { userId: $id, reason: OTHER, duration: DAYS_7, userMessage: "m" }) { id } }`;
    for (let i = 0; i < 6; i++) expect(outcome(await post(a.url, block, { id: target }, { token: admin }))).toBe('OK');
  });

  test('a hit is audited with the limit, member, address and transport', async () => {
    const entries = auditEntries(a.warden);
    const { token } = await member();
    const address = ip();
    for (let i = 0; i < 4; i++) await post(a.url, CREATE, {}, { token, ip: address });
    const id = (await post(a.url, '{ me { id } }', {}, { token })).data!.me.id;
    expect(entries.filter((entry) => entry.type === 'RATE_LIMITED')).toEqual([
      {
        type: 'RATE_LIMITED',
        actorId: id,
        targetId: id,
        reason: 'MEMBER_MUTATIONS',
        correlationId: expect.any(String),
        details: expect.objectContaining({ limit: 'MEMBER_MUTATIONS', ip: address, transport: 'http', retryAfterSeconds: expect.any(Number) }),
      },
    ]);
  });
});

describe('failed authentications per IP', () => {
  test('past the limit every request from the address is refused, valid token or not; other addresses are not', async () => {
    const address = ip();
    const good = await signToken({ sub: 'good' });
    for (let i = 0; i < 3; i++) {
      const response = await post(a.url, '{ me { id } }', {}, { token: 'bad.token.here', ip: address });
      expect([response.status, outcome(response)]).toEqual([401, 'UNAUTHENTICATED']);
    }
    const refused = await post(b.url, '{ me { id } }', {}, { token: 'bad.token.here', ip: address });
    expect([refused.status, outcome(refused)]).toEqual([429, 'RATE_LIMITED']);
    expect(refused.errors![0]!.extensions).toMatchObject({ limit: 'FAILED_AUTHS_PER_IP', retryAfter: expect.any(Number) });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);

    const validButLimited = await post(a.url, '{ me { id } }', {}, { token: good, ip: address });
    expect([validButLimited.status, outcome(validButLimited)]).toEqual([429, 'RATE_LIMITED']);
    expect(outcome(await post(a.url, '{ me { id } }', {}, { token: good, ip: ip() }))).toBe('OK');
  });

  test('missing tokens count as failures too', async () => {
    const address = ip();
    for (let i = 0; i < 3; i++) expect(outcome(await post(a.url, '{ me { id } }', {}, { ip: address }))).toBe('UNAUTHENTICATED');
    expect(outcome(await post(a.url, '{ me { id } }', {}, { ip: address }))).toBe('RATE_LIMITED');
  });

  test('WebSocket failures count against the same limit, and a limited address is closed with 4429', async () => {
    const address = ip();
    for (let i = 0; i < 2; i++) await post(a.url, '{ me { id } }', {}, { token: 'bad', ip: address });
    const socket = await RawGraphQLWs.open(a.url, { 'x-forwarded-for': address });
    socket.send({ type: 'connection_init', payload: { authorization: 'Bearer bad' } });
    // The third failure is still within the limit: 4401.
    expect((await socket.waitClosed()).code).toBe(4401);

    const again = await RawGraphQLWs.open(b.url, { 'x-forwarded-for': address });
    again.send({ type: 'connection_init', payload: { authorization: `Bearer ${await signToken({ sub: 'good' })}` } });
    const closed = await again.waitClosed();
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/^Rate limited: retry after \d+ s$/);
    await expect(post(a.url, '{ me { id } }', {}, { ip: address }).then(outcome)).resolves.toBe('RATE_LIMITED');
  });

  test('a flood from one address is audited once per refusal period, not once per request', async () => {
    const entries = auditEntries(b.warden);
    const address = ip();
    for (let i = 0; i < 10; i++) await post(b.url, '{ me { id } }', {}, { token: 'bad', ip: address });
    expect(entries.filter((entry) => entry.type === 'RATE_LIMITED')).toEqual([
      expect.objectContaining({
        actorId: null,
        targetId: null,
        reason: 'FAILED_AUTHS_PER_IP',
        details: expect.objectContaining({ ip: address, transport: 'http' }),
      }),
    ]);
  });
});

test('the window slides: a refused member may act again after retryAfter', async () => {
  const quick = await startTestWarden({
    redisPrefix: testRedisPrefix(),
    env: { ...ENV, RATE_LIMIT_MEMBER_MUTATIONS: '2', RATE_LIMIT_WINDOW_MS: '1500' },
  });
  try {
    const { token } = await member();
    await post(quick.url, CREATE, {}, { token });
    await post(quick.url, CREATE, {}, { token });
    const refused = await post(quick.url, CREATE, {}, { token });
    // A 1.5 s window is counted in whole seconds (rate-limiter-flexible): at most 2 s to wait.
    const retryAfter = refused.errors![0]!.extensions.retryAfter as number;
    expect([1, 2]).toContain(retryAfter);
    expect(refused.retryAfter).toBe(String(retryAfter));
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1_000 + 100));
    expect(outcome(await post(quick.url, CREATE, {}, { token }))).toBe('OK');
  } finally {
    await quick.stop();
  }
});
