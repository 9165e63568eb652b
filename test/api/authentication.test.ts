import { SignJWT } from 'jose';
import { errorCode, postGraphQL } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken, TEST_JWT_SECRET, unsignedToken } from '../support/tokens';

let api: TestWarden;
let strict: TestWarden;

beforeAll(async () => {
  api = await startTestWarden();
  strict = await startTestWarden({ env: { JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'warden' } });
});
afterAll(async () => {
  await api.stop();
  await strict.stop();
});

const ME = '{ me { id externalId displayName role } }';

const badTokens: [string, () => Promise<string | undefined>][] = [
  ['no token', async () => undefined],
  ['a malformed token', async () => 'not.a.jwt'],
  ['garbage', async () => '%%%'],
  ['an expired token', () => signToken({ sub: 'alice', expiresIn: -60 })],
  ['a token signed with another secret', () => signToken({ sub: 'alice', secret: 'some-other-secret-of-enough-length' })],
  ['an alg:none token', async () => unsignedToken('alice')],
  ['a token without exp', () =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').sign(new TextEncoder().encode(TEST_JWT_SECRET))],
  ['a token without sub', () =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(TEST_JWT_SECRET))],
  ['a token with a sub over 128 characters', () => signToken({ sub: 's'.repeat(129) })],
  ['an HS512 token', () =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('alice').setExpirationTime('1h').sign(new TextEncoder().encode(TEST_JWT_SECRET))],
];

test.each(badTokens)('%s is UNAUTHENTICATED with HTTP 401', async (_name, make) => {
  const response = await postGraphQL(api.url, ME, {}, await make());
  expect(response.status).toBe(401);
  expect(errorCode(response)).toBe('UNAUTHENTICATED');
});

test('a valid token provisions the member from its claims', async () => {
  const response = await postGraphQL(api.url, ME, {}, await signToken({ sub: 'alice', name: 'Alice' }));
  expect(response.data?.me).toMatchObject({ externalId: 'alice', displayName: 'Alice', role: 'MEMBER' });
  expect(response.data?.me.id).toMatch(/^[0-9a-f]{24}$/);
});

test('roles ["admin"] makes the caller an administrator', async () => {
  const response = await postGraphQL(api.url, ME, {}, await signToken({ sub: 'root', admin: true }));
  expect(response.data?.me.role).toBe('ADMIN');
});

test('20 concurrent first requests of one sub provision exactly one member', async () => {
  const token = await signToken({ sub: 'stampede' });
  const responses = await Promise.all(Array.from({ length: 20 }, () => postGraphQL(api.url, ME, {}, token)));
  const ids = new Set(responses.map((response) => response.data?.me.id));
  expect(responses.every((response) => response.errors === undefined)).toBe(true);
  expect(ids.size).toBe(1);
});

describe('issuer and audience, when configured', () => {
  test('are required', async () => {
    const response = await postGraphQL(strict.url, ME, {}, await signToken({ sub: 'bob' }));
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });
  test('a wrong audience is refused', async () => {
    const token = await signToken({ sub: 'bob', issuer: 'https://id.example', audience: 'someone-else' });
    expect(errorCode(await postGraphQL(strict.url, ME, {}, token))).toBe('UNAUTHENTICATED');
  });
  test('matching ones are accepted', async () => {
    const token = await signToken({ sub: 'bob', issuer: 'https://id.example', audience: 'warden' });
    expect((await postGraphQL(strict.url, ME, {}, token)).data?.me.externalId).toBe('bob');
  });
});

test('probes answer', async () => {
  const base = api.url.replace('/graphql', '');
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ ready: true, unavailable: [] });
});
