import { SignJWT } from 'jose';
import { postGraphQL } from '../support/graphql-http';
import { MutableClock } from '../support/mutable-clock';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken, TEST_JWT_SECRET } from '../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, RawGraphQLWs } from '../support/ws-client';
import { openSocket, uniqueSub } from './support';

/** Issue 12, items 3 and 6: a socket lives no longer than its token; loose claims are refused. */
/** Tokens are checked against the Warden's clock, which a test may move past `exp`. */
const clock = new MutableClock();
let api: TestWarden;
const sockets: RawGraphQLWs[] = [];
beforeAll(async () => {
  api = await startTestWarden({ clock });
});
afterAll(async () => {
  sockets.splice(0).forEach((socket) => socket.terminate());
  await api.stop();
});

const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

/** A token with exactly the claims given (no defaults). */
function rawToken(claims: { sub?: string; iat?: number; exp?: number }): Promise<string> {
  const { iat, ...rest } = claims;
  return new SignJWT({ ...rest, ...(iat === undefined ? {} : { iat }), roles: [] })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

describe('a socket whose token expires', () => {
  test('is closed with 4401 when `exp` passes', async () => {
    const token = await signToken({ sub: uniqueSub('expiring'), expiresIn: 2 });
    const socket = await openSocket(api.url, token);
    sockets.push(socket);
    socket.subscribe('status', ACCOUNT_STATUS_SUBSCRIPTION);
    expect(await socket.waitClosed()).toEqual({ code: 4401, reason: 'Unauthorized: token expired' });
  });

  test('runs nothing once `exp` passed, even before its timer fires: closed with 4401 instead', async () => {
    const token = await signToken({ sub: uniqueSub('stale'), expiresIn: 600 });
    const socket = await openSocket(api.url, token);
    sockets.push(socket);
    // The close timer is ten real minutes away; the Warden's clock says exp has passed.
    clock.advance(601_000);
    try {
      socket.subscribe('late', '{ me { id } }');
      expect(await socket.waitClosed()).toEqual({ code: 4401, reason: 'Unauthorized: token expired' });
      expect(socket.messages.filter((message) => message.id === 'late' && message.type === 'next')).toEqual([]);
    } finally {
      clock.advance(-601_000);
    }
  });
});

describe('claims', () => {
  const now = () => nowSeconds();
  test.each<[string, () => { sub?: string; iat?: number; exp?: number }]>([
    ['a lifetime over JWT_MAX_LIFETIME_SECONDS (exp − iat)', () => ({ sub: uniqueSub('long'), iat: now(), exp: now() + 86_401 })],
    ['no iat and exp further than the maximum lifetime', () => ({ sub: uniqueSub('long'), exp: now() + 2 * 86_400 })],
    ['iat in the future beyond the clock skew', () => ({ sub: uniqueSub('future'), iat: now() + 600, exp: now() + 1_200 })],
    ['a whitespace-only sub', () => ({ sub: ' \t ', iat: now(), exp: now() + 600 })],
    ['an empty sub', () => ({ sub: '', iat: now(), exp: now() + 600 })],
  ])('%s is UNAUTHENTICATED over HTTP and 4401 over graphql-ws', async (_name, claims) => {
    const token = await rawToken(claims());
    const response = await postGraphQL(api.url, '{ me { id } }', {}, token);
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const { client, acked } = await RawGraphQLWs.connect(api.url, token);
    sockets.push(client);
    expect(acked).toBe(false);
    expect((await client.waitClosed()).code).toBe(4401);
  });

  test.each<[string, () => { sub?: string; iat?: number; exp?: number }]>([
    ['a lifetime of exactly the maximum', () => ({ sub: uniqueSub('ok'), iat: now(), exp: now() + 86_400 })],
    ['iat slightly ahead, within the clock skew', () => ({ sub: uniqueSub('ok'), iat: now() + 30, exp: now() + 600 })],
    ['no iat and a short exp', () => ({ sub: uniqueSub('ok'), exp: now() + 600 })],
  ])('%s is accepted', async (_name, claims) => {
    const response = await postGraphQL(api.url, '{ me { id } }', {}, await rawToken(claims()));
    expect(response.errors).toBeUndefined();
  });
});
