import { errorCode } from '../support/graphql-http';
import { DAY_MS, MutableClock } from '../support/mutable-clock';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import {
  ACCOUNT_STATUS_SUBSCRIPTION,
  MESSAGE_ADDED_SUBSCRIPTION,
  RawGraphQLWs,
  eventually,
} from '../support/ws-client';
import { BLOCK_USER, SEND_MESSAGE, UNBLOCK_USER, blockInput } from '../api/operations';

const clock = new MutableClock();
let api: TestWarden;
let counter = 0;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  api = await startTestWarden({ clock });
  await api.idOf('admin', true);
});
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(() => api.stop());

async function connect(sub: string, admin = false) {
  const result = await RawGraphQLWs.connect(api.url, await signToken({ sub, admin, now: clock.now() }));
  open.push(result.client);
  return result;
}

async function member() {
  const sub = `m${++counter}`;
  return { sub, id: await api.idOf(sub) };
}

const admin = () => api.as('admin', true);

describe('connection_init', () => {
  test.each([
    ['no token', async () => null],
    ['a malformed token', async () => 'abc'],
    ['an expired token', () => signToken({ sub: 'late', expiresIn: -10 })],
  ])('%s closes with 4401', async (_name, token) => {
    const { client, acked } = await RawGraphQLWs.connect(api.url, await token());
    expect(acked).toBe(false);
    expect((await client.waitClosed()).code).toBe(4401);
  });

  test('a socket that never sends connection_init closes with 4408', async () => {
    const client = await RawGraphQLWs.open(api.url);
    expect((await client.waitClosed(10_000)).code).toBe(4408);
  });

  test('a blocked member is refused with 4403 before any subscription runs', async () => {
    const { sub, id } = await member();
    await admin()(BLOCK_USER, { input: blockInput(id) });
    const { client, acked } = await connect(sub);
    expect(acked).toBe(false);
    expect(await client.waitClosed()).toEqual({ code: 4403, reason: 'Forbidden: account blocked' });
    expect(client.messages).toEqual([]);
  });
});

describe('blocking a connected member', () => {
  test('every accountStatus subscription receives BLOCKED, then the socket closes with 4403', async () => {
    const { sub, id } = await member();
    const { client } = await connect(sub);
    client.subscribe('s1', ACCOUNT_STATUS_SUBSCRIPTION);
    client.subscribe('s2', ACCOUNT_STATUS_SUBSCRIPTION, { userId: id });
    client.subscribe('m1', MESSAGE_ADDED_SUBSCRIPTION);
    await eventually(() => api.warden.registry.listenerCount >= 3, 5_000, 'subscriptions registered');

    const blocked = await admin()(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_30' }) });
    expect(blocked.errors).toBeUndefined();
    expect(await client.waitClosed()).toEqual({ code: 4403, reason: 'Forbidden: account blocked' });

    for (const subscriptionId of ['s1', 's2']) {
      const event = client.messages.find((message) => message.id === subscriptionId);
      expect(event.payload.data.accountStatus).toMatchObject({
        userId: id,
        state: 'BLOCKED',
        reason: 'LATE_RETURN',
        userMessage: blockInput(id).userMessage,
        expiresAt: blocked.data!.blockUser.accountStatus.expiresAt,
      });
    }
    const closeAt = client.timeline.indexOf('close:4403');
    expect(client.timeline.indexOf('next:s1')).toBeLessThan(closeAt);
    expect(client.timeline.indexOf('next:s2')).toBeLessThan(closeAt);
    await eventually(() => api.warden.registry.sessionCount === 0, 5_000, 'registry emptied');
  });

  test('another member keeps its socket and its messages', async () => {
    const blockedOne = await member();
    const bystander = await member();
    const { client: victim } = await connect(blockedOne.sub);
    const { client: other } = await connect(bystander.sub);
    other.subscribe('m', MESSAGE_ADDED_SUBSCRIPTION);
    await eventually(() => api.warden.registry.listenerCount >= 1, 5_000, 'subscription registered');

    await admin()(BLOCK_USER, { input: blockInput(blockedOne.id) });
    expect((await victim.waitClosed()).code).toBe(4403);

    const sent = await api.as('sender')(SEND_MESSAGE, { input: { recipientId: bystander.id, text: 'still there?' } });
    expect(sent.errors).toBeUndefined();
    const received = await other.next((message) => message.id === 'm');
    expect(received.payload.data.messageAdded.text).toBe('still there?');
    expect(other.isOpen).toBe(true);
  });

  test('a blocked member cannot come back until unblocked, then subscriptions work again', async () => {
    const { sub, id } = await member();
    await connect(sub);
    await admin()(BLOCK_USER, { input: blockInput(id, { duration: 'INDEFINITE' }) });
    const retry = await connect(sub);
    expect(retry.acked).toBe(false);
    expect((await retry.client.waitClosed()).code).toBe(4403);

    await admin()(UNBLOCK_USER, { input: { userId: id, reason: 'appeal accepted' } });
    const again = await connect(sub);
    expect(again.acked).toBe(true);
    again.client.subscribe('m', MESSAGE_ADDED_SUBSCRIPTION);
    await eventually(() => api.warden.registry.listenerCount >= 1, 5_000, 'subscription registered');
    await api.as('sender')(SEND_MESSAGE, { input: { recipientId: id, text: 'welcome back' } });
    expect((await again.client.next((message) => message.id === 'm')).payload.data.messageAdded.text).toBe('welcome back');
  });
});

describe('admins watching a member', () => {
  test('see BLOCKED, then ACTIVE on unblock', async () => {
    const { id } = await member();
    const { client } = await connect('admin', true);
    client.subscribe('w', ACCOUNT_STATUS_SUBSCRIPTION, { userId: id });
    await eventually(() => api.warden.registry.listenerCount >= 1, 5_000, 'watch registered');
    await admin()(BLOCK_USER, { input: blockInput(id) });
    await client.next((message) => message.id === 'w' && message.payload.data.accountStatus.state === 'BLOCKED');
    await admin()(UNBLOCK_USER, { input: { userId: id, reason: 'mistake' } });
    const active = await client.next((message) => message.id === 'w' && message.payload.data.accountStatus.state === 'ACTIVE');
    expect(active.payload.data.accountStatus).toMatchObject({ userId: id, reason: null, userMessage: null });
    expect(client.isOpen).toBe(true);
  });

  test('see ACTIVE within 2 seconds of a block expiring, with no one acting', async () => {
    const { id } = await member();
    const { client } = await connect('admin', true);
    client.subscribe('w', ACCOUNT_STATUS_SUBSCRIPTION, { userId: id });
    await eventually(() => api.warden.registry.listenerCount >= 1, 5_000, 'watch registered');
    await admin()(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_7' }) });
    await client.next((message) => message.id === 'w' && message.payload.data.accountStatus.state === 'BLOCKED');

    clock.advance(7 * DAY_MS);
    const active = await client.next(
      (message) => message.id === 'w' && message.payload.data.accountStatus.state === 'ACTIVE',
      2_000 + 1_000, // the contract's 2 s, plus slack for this shared machine
    );
    expect(active.payload.data.accountStatus.userId).toBe(id);
    const seen = await admin()(`{ user(id: "${id}") { isBlocked blockHistory { kind } } }`);
    expect(seen.data?.user).toEqual({ isBlocked: false, blockHistory: [{ kind: 'EXPIRED' }, { kind: 'BLOCKED' }] });
  });

  test('a member may not watch someone else', async () => {
    const { sub } = await member();
    const other = await member();
    const { client } = await connect(sub);
    client.subscribe('x', ACCOUNT_STATUS_SUBSCRIPTION, { userId: other.id });
    // A subscribe resolver's error is an execution result, so it travels as `next`.
    const result = await client.next((message) => message.id === 'x' && message.type === 'next');
    expect(result.payload.errors[0].extensions.code).toBe('FORBIDDEN');
    await client.next((message) => message.id === 'x' && message.type === 'complete');
  });
});

describe('document limits apply to subscriptions too', () => {
  test.each([
    ['too deep', `subscription { messageAdded { sender { accountStatus { userId } } } } query Deep { me ${'{ blockHistory { by '.repeat(6)}{ id }${' } }'.repeat(6)} }`],
    ['too many aliases', `subscription { ${Array.from({ length: 40 }, (_, i) => `a${i}: messageAdded { id }`).join(' ')} }`],
    ['a syntax error', 'subscription {'],
    ['an unknown field', 'subscription { nope }'],
  ])('%s is an error with BAD_USER_INPUT', async (_name, query) => {
    const { sub } = await member();
    const { client } = await connect(sub);
    client.subscribe('q', query);
    const error = await client.next((message) => message.id === 'q' && message.type === 'error');
    expect(error.payload[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('a message over the size limit closes the socket', async () => {
    const { sub } = await member();
    const { client } = await connect(sub);
    client.subscribe('big', `subscription { messageAdded { id } } # ${'x'.repeat(200_000)}`);
    expect((await client.waitClosed()).code).toBe(1009);
  });
});

test('member actions over the socket go through the same guard', async () => {
  const { sub, id } = await member();
  const recipient = await member();
  const { client } = await connect(sub);
  client.subscribe('send', SEND_MESSAGE, { input: { recipientId: recipient.id, text: 'via ws' } });
  const ok = await client.next((message) => message.id === 'send' && message.type === 'next');
  expect(ok.payload.data.sendMessage.text).toBe('via ws');
  expect(errorCode(await api.as(sub)(SEND_MESSAGE, { input: { recipientId: id, text: 'self' } }))).toBe('BAD_USER_INPUT');
});
