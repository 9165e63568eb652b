import { auditEntries } from '../rate-limit/support';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { MESSAGE_ADDED_SUBSCRIPTION, RawGraphQLWs, eventually } from '../support/ws-client';
import { openSocket, uniqueSub } from './support';

/** Issue 12, item 5: caps on subscriptions per socket and sockets per member, across instances. */
const ENV = { MAX_SUBSCRIPTIONS_PER_SOCKET: '4', MAX_SOCKETS_PER_MEMBER: '3' };
let a: TestWarden;
let b: TestWarden;
const sockets: RawGraphQLWs[] = [];
beforeAll(async () => {
  a = await startTestWarden({ env: ENV });
  b = await startTestWarden({ env: ENV });
});
afterEach(() => sockets.splice(0).forEach((socket) => socket.terminate()));
afterAll(async () => {
  await a.stop();
  await b.stop();
});

async function member() {
  const sub = uniqueSub('capped');
  return { sub, id: await a.idOf(sub), token: await signToken({ sub }) };
}

async function open(api: TestWarden, token: string) {
  const socket = await openSocket(api.url, token);
  sockets.push(socket);
  return socket;
}

const SEND = 'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id } }';

test('a socket holds at most MAX_SUBSCRIPTIONS_PER_SOCKET; one more is BAD_USER_INPUT, audited once; one message makes that many frames', async () => {
  const audit = auditEntries(a.warden);
  const { id, token } = await member();
  const sender = await member();
  const socket = await open(a, token);
  for (let i = 1; i <= 4; i++) socket.subscribe(`s${i}`, MESSAGE_ADDED_SUBSCRIPTION);
  await eventually(() => a.warden.registry.sessionsOf(id)[0]?.messageStreams.size === 4, 10_000, 'four subscriptions');

  for (const extra of ['s5', 's6']) {
    socket.subscribe(extra, MESSAGE_ADDED_SUBSCRIPTION);
    const refused = await socket.next((message) => message.id === extra);
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'MAX_SUBSCRIPTIONS_PER_SOCKET' });
  }
  expect(socket.isOpen).toBe(true);
  await a.warden.flushAudit();
  expect(audit.filter((entry) => entry.reason === 'MAX_SUBSCRIPTIONS_PER_SOCKET')).toEqual([
    expect.objectContaining({ type: 'RATE_LIMITED', actorId: id, details: expect.objectContaining({ max: 4, transport: 'ws' }) }),
  ]);

  const sent = await a.as(sender.sub)(SEND, { input: { recipientId: id, text: 'one message' } });
  const messageId = sent.data!.sendMessage.id as string;
  for (let i = 1; i <= 4; i++) {
    await socket.next((message) => message.id === `s${i}` && message.payload?.data?.messageAdded?.id === messageId);
  }
  const frames = socket.messages.filter((message) => message.type === 'next' && message.payload?.data?.messageAdded?.id === messageId);
  expect(frames).toHaveLength(4);

  // Completing one frees its place.
  socket.send({ id: 's1', type: 'complete' });
  await eventually(() => a.warden.registry.sessionsOf(id)[0]?.messageStreams.size === 3, 10_000, 'one completed');
  socket.subscribe('s7', MESSAGE_ADDED_SUBSCRIPTION);
  await eventually(() => a.warden.registry.sessionsOf(id)[0]?.messageStreams.size === 4, 10_000, 'the new one');
});

test('a member holds at most MAX_SOCKETS_PER_MEMBER sockets over all instances; one more closes with 4008, audited', async () => {
  const audit = auditEntries(b.warden);
  const { id, token } = await member();
  const held = [await open(a, token), await open(a, token), await open(b, token)];
  await eventually(async () => (await a.warden.presence.presence.activeSessionCount(id)) === 3, 10_000, 'presence on a');
  await eventually(async () => (await b.warden.presence.presence.activeSessionCount(id)) === 3, 10_000, 'presence on b');

  for (const api of [a, b]) {
    const { client, acked } = await RawGraphQLWs.connect(api.url, token);
    sockets.push(client);
    expect(acked).toBe(false);
    expect(await client.waitClosed()).toEqual({ code: 4008, reason: 'Too many open connections for this member' });
  }
  await b.warden.flushAudit();
  expect(audit).toContainEqual(
    expect.objectContaining({ type: 'CONNECTION_REFUSED', actorId: id, details: expect.objectContaining({ code: 4008 }) }),
  );

  // Others are unaffected, and a closed socket frees its place.
  await open(b, (await member()).token);
  held[2]!.close();
  await eventually(async () => (await a.warden.presence.presence.activeSessionCount(id)) === 2, 10_000, 'one closed');
  await open(a, token);
});
