import { CREATE_LISTING, LISTING_INPUT, SEND_MESSAGE } from '../api/operations';
import { FORCE_DISCONNECT_REPLY_TIMEOUT_MS } from '../../infrastructure/config/limits';
import { stopAllInstances, type InstanceProcess } from '../multi/support/instance-process';
import { errorCode, type GraphQLResponse } from '../support/graphql-http';
import { signToken } from '../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, MESSAGE_ADDED_SUBSCRIPTION, RawGraphQLWs, eventually } from '../support/ws-client';
import { FORCE_DISCONNECT, activeSessionCount, call, connect, idOf, startCluster } from './support/cluster';

// Three Warden processes of one deployment: one database, one Redis prefix.
let a: InstanceProcess;
let b: InstanceProcess;
let c: InstanceProcess;
let counter = 0;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  const cluster = await startCluster(['presence-a', 'presence-b', 'presence-c']);
  [a, b, c] = cluster.instances as [InstanceProcess, InstanceProcess, InstanceProcess];
  await idOf(a, 'admin', true);
}, 60_000);
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(() => stopAllInstances());

const MODERATION_LOG = `query Log($filter: ModerationLogFilter) {
  moderationLog(filter: $filter) { nodes { type actorId targetId reason correlationId instance details } }
}`;

async function postGraphQLWithHeaders(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

async function member() {
  const sub = `fd-${++counter}`;
  return { sub, id: await idOf(a, sub) };
}

const kick = (on: InstanceProcess, userId: string, reason = 'Stuck client reported by the member', admin = 'admin') =>
  call(on, admin, FORCE_DISCONNECT, { userId, reason }, true);

/** Waits until every instance reports `expected` sockets for the member. */
async function countEverywhereIs(userId: string, expected: number): Promise<void> {
  let seen: number[] = [];
  await eventually(
    async () => {
      seen = await Promise.all([a, b, c].map((instance) => activeSessionCount(instance, 'admin', userId)));
      return seen.every((count) => count === expected);
    },
    5_000,
    `activeSessionCount ${expected} on every instance`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${seen.join(', ')}`);
  });
}

describe('activeSessionCount', () => {
  test('is the exact number of the member’s sockets over three instances, and follows each close', async () => {
    const { sub, id } = await member();
    const bystander = await member();
    const onA1 = await connect(a, sub, open);
    const onA2 = await connect(a, sub, open);
    const onB = await connect(b, sub, open);
    const onC = await connect(c, sub, open);
    await connect(b, bystander.sub, open);
    await countEverywhereIs(id, 4);
    await countEverywhereIs(bystander.id, 1);

    onB.close();
    await onB.waitClosed();
    await countEverywhereIs(id, 3);

    // An abrupt end counts as a close too.
    onA1.terminate();
    await countEverywhereIs(id, 2);

    onA2.close();
    onC.close();
    await countEverywhereIs(id, 0);
    await countEverywhereIs(bystander.id, 1);
  });

  test('is zero for a member who never connected', async () => {
    const { id } = await member();
    await countEverywhereIs(id, 0);
  });

  test('is for admins only: a member asking gets FORBIDDEN', async () => {
    const { sub, id } = await member();
    const own = await call(b, sub, '{ me { activeSessionCount } }');
    expect(errorCode(own)).toBe('FORBIDDEN');
    expect((await call(b, 'admin', '{ me { activeSessionCount } }', {}, true)).data?.me).toEqual({
      activeSessionCount: 0,
    });
    // An admin sees the number on any member it reads.
    await connect(c, sub, open);
    await countEverywhereIs(id, 1);
  });
});

describe('forceDisconnect', () => {
  test('closes every socket of the member on every instance with 4000 and returns the exact count', async () => {
    const { sub, id } = await member();
    const bystander = await member();
    const sockets = [
      await connect(a, sub, open),
      await connect(a, sub, open),
      await connect(b, sub, open),
      await connect(c, sub, open),
    ];
    sockets[0]!.subscribe('status', ACCOUNT_STATUS_SUBSCRIPTION);
    sockets[2]!.subscribe('messages', MESSAGE_ADDED_SUBSCRIPTION);
    const other = await connect(b, bystander.sub, open);
    other.subscribe('messages', MESSAGE_ADDED_SUBSCRIPTION);
    await countEverywhereIs(id, 4);

    const started = Date.now();
    const response = await kick(c, id);
    const elapsed = Date.now() - started;
    expect(response.errors).toBeUndefined();
    expect(response.data?.forceDisconnect).toBe(4);
    // Every live instance answered: the mutation did not sit out the reply timeout.
    expect(elapsed).toBeLessThan(FORCE_DISCONNECT_REPLY_TIMEOUT_MS);

    for (const socket of sockets) {
      expect(await socket.waitClosed(5_000)).toEqual({ code: 4000, reason: 'Disconnected by an administrator' });
    }
    // Nothing about the account changed, so no accountStatus event precedes the close.
    expect(sockets[0]!.messages.filter((message) => message.type === 'next')).toEqual([]);
    expect(other.isOpen).toBe(true);
    await countEverywhereIs(id, 0);
    await countEverywhereIs(bystander.id, 1);
  });

  test('does not block: the member reconnects at once and every action still succeeds', async () => {
    const { sub, id } = await member();
    const bystander = await member();
    const before = [await connect(a, sub, open), await connect(b, sub, open)];
    await countEverywhereIs(id, 2);

    expect((await kick(a, id)).data?.forceDisconnect).toBe(2);
    await Promise.all(before.map((socket) => socket.waitClosed(5_000)));

    // Right after the mutation answered, on the instances that just closed its sockets.
    const again = [await connect(a, sub, open), await connect(b, sub, open), await connect(c, sub, open)];
    again[0]!.subscribe('messages', MESSAGE_ADDED_SUBSCRIPTION);
    again[0]!.send({ type: 'ping' });
    await again[0]!.next((message) => message.type === 'pong');

    const me = await call(b, sub, '{ me { isBlocked accountStatus { state } } }');
    expect(me.data?.me).toEqual({ isBlocked: false, accountStatus: { state: 'ACTIVE' } });
    const listing = await call(c, sub, CREATE_LISTING, { input: LISTING_INPUT });
    expect(listing.errors).toBeUndefined();
    const sent = await call(a, bystander.sub, SEND_MESSAGE, { input: { recipientId: id, text: 'welcome back' } });
    expect(sent.errors).toBeUndefined();
    const received = await again[0]!.next((message) => message.id === 'messages');
    expect(received.payload.data.messageAdded.text).toBe('welcome back');
    const reply = await call(a, sub, SEND_MESSAGE, { input: { recipientId: bystander.id, text: 'thanks' } });
    expect(reply.errors).toBeUndefined();

    await countEverywhereIs(id, 3);
    expect(again.every((socket) => socket.isOpen)).toBe(true);
  });

  test('returns 0 when the member has no live socket, and may be repeated', async () => {
    const { sub, id } = await member();
    expect((await kick(b, id)).data?.forceDisconnect).toBe(0);
    const socket = await connect(c, sub, open);
    expect((await kick(b, id)).data?.forceDisconnect).toBe(1);
    expect((await socket.waitClosed(5_000)).code).toBe(4000);
    expect((await kick(b, id)).data?.forceDisconnect).toBe(0);
  });

  test('records FORCE_DISCONNECT in the moderation log, with the count and the instances', async () => {
    const { sub, id } = await member();
    const adminId = await idOf(a, 'admin', true);
    await connect(a, sub, open);
    await connect(b, sub, open);
    await connect(b, sub, open);
    await countEverywhereIs(id, 3);

    const correlationId = `kick-${id}`;
    const response = await postGraphQLWithHeaders(
      b.url,
      FORCE_DISCONNECT,
      { userId: id, reason: '  Compromised session  ' },
      { authorization: `Bearer ${await signToken({ sub: 'admin', admin: true })}`, 'x-correlation-id': correlationId },
    );
    expect(response.data?.forceDisconnect).toBe(3);

    let entries: any[] = [];
    await eventually(
      async () => {
        const log = await call(c, 'admin', MODERATION_LOG, { filter: { userId: id, types: ['FORCE_DISCONNECT'] } }, true);
        entries = log.data?.moderationLog?.nodes ?? [];
        return entries.length > 0;
      },
      5_000,
      'the audit entry',
    );
    expect(entries).toEqual([
      {
        type: 'FORCE_DISCONNECT',
        actorId: adminId,
        targetId: id,
        reason: 'Compromised session',
        correlationId,
        instance: 'presence-b',
        details: { socketsClosed: 3, instances: ['presence-a', 'presence-b', 'presence-c'] },
      },
    ]);
  });

  test('may not disconnect another admin (nobody acts on an admin): FORBIDDEN, the socket stays', async () => {
    const otherAdmin = await idOf(a, 'other-admin', true);
    const socket = await connect(b, 'other-admin', open, true);
    expect(errorCode(await kick(a, otherAdmin))).toBe('FORBIDDEN');
    await countEverywhereIs(otherAdmin, 1);
    expect(socket.isOpen).toBe(true);
  });

  describe('refusals close nothing', () => {
    test('an admin cannot force-disconnect themself: FORBIDDEN', async () => {
      const selfId = await idOf(a, 'self-admin', true);
      const socket = await connect(b, 'self-admin', open, true);
      const response = await kick(a, selfId, 'testing myself', 'self-admin');
      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(response.data).toBeNull();
      await countEverywhereIs(selfId, 1);
      expect(socket.isOpen).toBe(true);
    });

    test('a member calling it gets FORBIDDEN, for a real and an unknown id alike', async () => {
      const target = await member();
      const caller = await member();
      const socket = await connect(a, target.sub, open);
      expect(errorCode(await call(b, caller.sub, FORCE_DISCONNECT, { userId: target.id, reason: 'x' }))).toBe('FORBIDDEN');
      expect(
        errorCode(await call(b, caller.sub, FORCE_DISCONNECT, { userId: 'ff00000000000000000000ff', reason: 'x' })),
      ).toBe('FORBIDDEN');
      await countEverywhereIs(target.id, 1);
      expect(socket.isOpen).toBe(true);
    });

    test('an unknown member is NOT_FOUND', async () => {
      expect(errorCode(await kick(a, 'ff00000000000000000000ff'))).toBe('NOT_FOUND');
    });

    test.each([
      ['a malformed id', 'not-an-id', 'reason'],
      ['an empty reason', null, ''],
      ['a blank reason', null, ' \n\t '],
      ['a reason over 1000 characters', null, 'x'.repeat(1_001)],
      ['a reason with a control character', null, 'bad\u0007bell'],
    ])('%s is BAD_USER_INPUT', async (_name, userId, reason) => {
      const target = await member();
      const socket = await connect(c, target.sub, open);
      const response = await kick(a, userId ?? target.id, reason);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      await countEverywhereIs(target.id, 1);
      expect(socket.isOpen).toBe(true);
    });

    test('a reason of exactly 1000 characters is accepted', async () => {
      const target = await member();
      await connect(c, target.sub, open);
      expect((await kick(a, target.id, 'y'.repeat(1_000))).data?.forceDisconnect).toBe(1);
    });
  });
});
