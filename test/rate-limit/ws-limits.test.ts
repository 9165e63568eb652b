import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';
import { CREATE, auditEntries, outcome, post } from './support';

const ENV = {
  RATE_LIMIT_MEMBER_MUTATIONS: '3',
  RATE_LIMIT_CONNECTION_INITS: '4',
  TRUSTED_PROXY_HOPS: '1',
  AUTO_BLOCK_OFFENCES: '0',
};

let a: TestWarden;
let b: TestWarden;
let counter = 0;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  a = await startTestWarden({ env: ENV });
  b = await startTestWarden({ env: ENV });
});
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(async () => {
  await a.stop();
  await b.stop();
});

const ip = () => `192.0.2.${++counter % 250}`;

/** Opens a socket as a client at `address` and sends connection_init; resolves on ack or close. */
async function connect(url: string, address: string, token: string) {
  const client = await RawGraphQLWs.open(url, { 'x-forwarded-for': address });
  open.push(client);
  client.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  const acked = await Promise.race([
    client.next((message) => message.type === 'connection_ack').then(() => true),
    client.closed.then(() => false),
  ]);
  return { client, acked };
}

describe('connection_init per IP', () => {
  test('a flood is closed with 4429 and a reason that says when to retry, across instances', async () => {
    const address = ip();
    const token = await signToken({ sub: 'flooder' });
    for (let i = 0; i < 4; i++) expect((await connect(i % 2 ? a.url : b.url, address, token)).acked).toBe(true);

    const { client, acked } = await connect(a.url, address, token);
    expect(acked).toBe(false);
    const closed = await client.waitClosed();
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/^Rate limited: retry after \d+ s$/);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    expect(client.messages).toEqual([]);

    // Counted before the token is read: a bad token is refused the same way.
    const anonymous = await RawGraphQLWs.open(b.url, { 'x-forwarded-for': address });
    open.push(anonymous);
    anonymous.send({ type: 'connection_init', payload: {} });
    expect((await anonymous.waitClosed()).code).toBe(4429);

    // Other addresses, and HTTP from this one, are unaffected.
    expect((await connect(a.url, ip(), token)).acked).toBe(true);
    expect(outcome(await post(a.url, '{ me { id } }', {}, { token, ip: address }))).toBe('OK');
  });

  test('a flood is audited once per refusal period with the address and transport', async () => {
    const entries = auditEntries(a.warden);
    const address = ip();
    const token = await signToken({ sub: 'flooder-2' });
    for (let i = 0; i < 8; i++) await connect(a.url, address, token);
    expect(entries.filter((entry) => entry.type === 'RATE_LIMITED')).toEqual([
      expect.objectContaining({
        actorId: null,
        reason: 'CONNECTION_INITS_PER_IP',
        details: expect.objectContaining({ limit: 'CONNECTION_INITS_PER_IP', ip: address, transport: 'ws', retryAfterSeconds: expect.any(Number) }),
      }),
    ]);
  });
});

describe('member mutations over the socket', () => {
  test('share the member count with HTTP and are refused with RATE_LIMITED and retryAfter', async () => {
    const token = await signToken({ sub: 'ws-writer' });
    expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('OK');
    expect(outcome(await post(b.url, CREATE, {}, { token }))).toBe('OK');

    const { client } = await connect(a.url, ip(), token);
    client.subscribe('m1', CREATE);
    const created = await client.next((message) => message.id === 'm1' && message.type === 'next');
    expect(created.payload.data.createItemListing.id).toEqual(expect.any(String));

    client.subscribe('m2', CREATE);
    const refused = await client.next((message) => message.id === 'm2' && message.type === 'error');
    expect(refused.payload).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/retry after \d+ s/),
        extensions: expect.objectContaining({ code: 'RATE_LIMITED', limit: 'MEMBER_MUTATIONS', retryAfter: expect.any(Number) }),
      }),
    ]);
    // The socket stays open: a refused operation is not a refused connection.
    client.subscribe('q', '{ me { externalId } }');
    const me = await client.next((message) => message.id === 'q' && message.type === 'next');
    expect(me.payload.data.me.externalId).toBe('ws-writer');
    expect(outcome(await post(b.url, CREATE, {}, { token }))).toBe('RATE_LIMITED');
  });
});
