import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, eventually, type RawGraphQLWs } from '../support/ws-client';
import { openSocket, uniqueSub, wsCodes, wsOperation } from './support';

/**
 * Issue 12, item 4: rights come from the token on each socket, and a later token with fewer
 * rights ends the member's staff-only subscriptions on every instance.
 */
const MODERATION_EVENTS = 'subscription { moderationEvents { id type } }';
let a: TestWarden;
let b: TestWarden;
/** Shares the store, not Redis: its signals never reach a or b (a lost message). */
let elsewhere: TestWarden;
const sockets: RawGraphQLWs[] = [];
beforeAll(async () => {
  // No sweep on its own: the first test sees the fan-out alone, the second runs it by hand.
  const env = { SESSION_SWEEP_INTERVAL_MS: '3600000' };
  a = await startTestWarden({ env });
  b = await startTestWarden({ env });
  elsewhere = await startTestWarden({ redisPrefix: `lost-${process.pid}:` });
});
afterEach(() => sockets.splice(0).forEach((socket) => socket.terminate()));
afterAll(async () => {
  await Promise.all([a.stop(), b.stop(), elsewhere.stop()]);
});

async function staffWatching() {
  const sub = uniqueSub('staff');
  const adminToken = await signToken({ sub, admin: true });
  const id = await a.idOf(sub, true);
  const watched = await a.idOf(uniqueSub('watched'));
  const onA = await openSocket(a.url, adminToken);
  const onB = await openSocket(b.url, adminToken);
  sockets.push(onA, onB);
  onA.subscribe('feed', MODERATION_EVENTS);
  onB.subscribe('watch', ACCOUNT_STATUS_SUBSCRIPTION, { userId: watched });
  await eventually(() => a.warden.registry.staffUserIds().includes(id), 10_000, 'feed on a');
  await eventually(() => b.warden.registry.staffUserIds().includes(id), 10_000, 'watch on b');
  return { sub, id, onA, onB };
}

const completed = (socket: RawGraphQLWs, id: string) => socket.next((message) => message.id === id && message.type === 'complete');

test('a request with a member token ends the staff subscriptions of that member on every instance; the sockets stay', async () => {
  const { sub, id, onA, onB } = await staffWatching();
  const demoted = await b.as(sub)('{ me { role } }');
  expect(demoted.data?.me.role).toBe('MEMBER');

  await completed(onA, 'feed');
  await completed(onB, 'watch');
  expect(a.warden.registry.staffUserIds()).not.toContain(id);
  expect(b.warden.registry.staffUserIds()).not.toContain(id);
  expect(onA.isOpen && onB.isOpen).toBe(true);

  // The old socket's admin token no longer widens the member's rights.
  const again = await wsOperation(onA, MODERATION_EVENTS);
  expect(wsCodes(again)).toEqual(['FORBIDDEN']);
  // Ordinary operations go on.
  expect(wsCodes(await wsOperation(onB, '{ me { id } }'))).toEqual([]);
});

test('when the signal is lost, the session sweep ends them from the stored role', async () => {
  const { sub, id, onA, onB } = await staffWatching();
  expect((await elsewhere.as(sub)('{ me { role } }')).data?.me.role).toBe('MEMBER');
  await a.warden.sweepSessions();
  await b.warden.sweepSessions();
  await completed(onA, 'feed');
  await completed(onB, 'watch');
  expect(a.warden.registry.staffUserIds()).not.toContain(id);
});

test('a socket opened with a member token gains nothing when a later token is an admin one', async () => {
  const sub = uniqueSub('promoted');
  const memberSocket = await openSocket(a.url, await signToken({ sub }));
  sockets.push(memberSocket);
  expect((await a.as(sub, true)('{ me { role } }')).data?.me.role).toBe('ADMIN');
  expect(wsCodes(await wsOperation(memberSocket, MODERATION_EVENTS))).toEqual(['FORBIDDEN']);
  const adminSocket = await openSocket(a.url, await signToken({ sub, admin: true }));
  sockets.push(adminSocket);
  adminSocket.subscribe('feed', MODERATION_EVENTS);
  await eventually(() => a.warden.registry.staffUserIds().length > 0, 10_000, 'feed of the admin socket');
});
