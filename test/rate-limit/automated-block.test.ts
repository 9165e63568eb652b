import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, RawGraphQLWs, eventually } from '../support/ws-client';
import { logOf } from '../audit/audit-support';
import { CREATE, FORBIDDEN_CALL, outcome, post } from './support';

const USER_MESSAGE = 'Blocked automatically for repeated abuse. Appeal if this is a mistake.';
const ENV = { RATE_LIMIT_MEMBER_MUTATIONS: '3', AUTO_BLOCK_USER_MESSAGE: USER_MESSAGE };
const DAY_MS = 86_400_000;

let a: TestWarden;
let b: TestWarden;
let adminToken: string;
let counter = 0;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  // Two instances of one deployment; the policy's default: 5 offences in 10 minutes.
  a = await startTestWarden({ env: ENV });
  b = await startTestWarden({ env: ENV });
  adminToken = await signToken({ sub: 'admin', admin: true });
  await a.idOf('admin', true);
});
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(async () => {
  await a.stop();
  await b.stop();
});

async function member() {
  const sub = `offender-${++counter}`;
  return { sub, id: await a.idOf(sub), token: await signToken({ sub }) };
}

const admin = (query: string, variables: Record<string, unknown> = {}) => post(a.url, query, variables, { token: adminToken });

const USER = `query($id: ID!) { user(id: $id) {
  isBlocked
  block { reason duration userMessage adminNote blockedBy { id } blockedAt expiresAt }
  blockHistory { kind by { id } reason duration }
} }`;
const seen = async (id: string) => (await admin(USER, { id })).data!.user;
const unblock = (id: string) =>
  admin(`mutation($id: ID!) { unblockUser(input: { userId: $id, reason: "Second chance" }) { id } }`, { id });

test('five offences, rate-limit hits and FORBIDDEN calls mixed, block the member like an admin block would', async () => {
  const { sub, id, token } = await member();
  const other = await member();
  const { client, acked } = await RawGraphQLWs.connect(b.url, token);
  open.push(client);
  expect(acked).toBe(true);
  client.subscribe('status', ACCOUNT_STATUS_SUBSCRIPTION);
  await eventually(() => b.warden.registry.listenerCount >= 1, 5_000, 'subscription registered');

  for (let i = 0; i < 3; i++) expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('OK');
  // Offences 1 and 2: rate-limit hits, on either instance.
  expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('RATE_LIMITED');
  expect(outcome(await post(b.url, CREATE, {}, { token }))).toBe('RATE_LIMITED');
  // Offences 3 and 4: admin operations.
  expect(outcome(await post(b.url, FORBIDDEN_CALL, {}, { token }))).toBe('FORBIDDEN');
  expect(outcome(await post(a.url, `{ user(id: "${other.id}") { id } }`, {}, { token }))).toBe('FORBIDDEN');
  expect((await seen(id)).isBlocked).toBe(false);

  // Offence 5, over the socket: watching somebody else's status is for admins.
  client.subscribe('spy', ACCOUNT_STATUS_SUBSCRIPTION, { userId: other.id });
  const refused = await client.next((message) => message.id === 'spy' && message.type === 'next');
  expect(refused.payload.errors[0].extensions.code).toBe('FORBIDDEN');

  // The live socket hears BLOCKED, then closes with 4403, as for an admin's block.
  expect(await client.waitClosed()).toEqual({ code: 4403, reason: 'Forbidden: account blocked' });
  const event = client.messages.find((message) => message.id === 'status' && message.type === 'next');
  expect(event.payload.data.accountStatus).toMatchObject({ userId: id, state: 'BLOCKED', reason: 'POLICY_VIOLATION', userMessage: USER_MESSAGE });

  const user = await seen(id);
  expect(user.block).toMatchObject({ reason: 'POLICY_VIOLATION', duration: 'DAYS_7', userMessage: USER_MESSAGE, blockedBy: null });
  expect(user.block.adminNote).toMatch(/^Automated block: 5 offences within 10 min/);
  expect(new Date(user.block.expiresAt).getTime() - new Date(user.block.blockedAt).getTime()).toBe(7 * DAY_MS);
  expect(user.blockHistory).toEqual([{ kind: 'BLOCKED', by: null, reason: 'POLICY_VIOLATION', duration: 'DAYS_7' }]);

  // Blocked: actions are ACCOUNT_BLOCKED (not RATE_LIMITED), and reconnecting is refused.
  const action = await post(b.url, CREATE, {}, { token });
  expect(outcome(action)).toBe('ACCOUNT_BLOCKED');
  expect(action.errors![0]!.extensions).toMatchObject({ reason: 'POLICY_VIOLATION', userMessage: USER_MESSAGE });
  const again = await RawGraphQLWs.connect(a.url, await signToken({ sub }));
  open.push(again.client);
  expect(again.acked).toBe(false);
  expect((await again.client.waitClosed()).code).toBe(4403);

  // The trail: both rate-limit hits, then the automated block (recorded from its event).
  const entries = await logOf(a, { userId: id, types: ['RATE_LIMITED', 'AUTOMATED_BLOCK'] });
  expect(entries.map((entry) => entry.type).sort()).toEqual(['AUTOMATED_BLOCK', 'RATE_LIMITED', 'RATE_LIMITED']);
  expect(entries.find((entry) => entry.type === 'AUTOMATED_BLOCK')).toMatchObject({ actorId: null, targetId: id });
  expect(entries.find((entry) => entry.type === 'RATE_LIMITED')).toMatchObject({ actorId: id, reason: 'MEMBER_MUTATIONS' });
});

test('repeat offences escalate: 7, then 30, then 90 days, then 90 again', async () => {
  const { id, token } = await member();
  for (const expected of ['DAYS_7', 'DAYS_30', 'DAYS_90', 'DAYS_90']) {
    for (let i = 0; i < 5; i++) expect(outcome(await post(i % 2 ? a.url : b.url, FORBIDDEN_CALL, {}, { token }))).toBe('FORBIDDEN');
    const user = await seen(id);
    expect(user.block).toMatchObject({ reason: 'POLICY_VIOLATION', duration: expected, blockedBy: null });
    expect(outcome(await unblock(id))).toBe('OK');
  }
  const history = (await seen(id)).blockHistory;
  expect(history.filter((entry: { kind: string }) => entry.kind === 'BLOCKED').map((entry: { duration: string }) => entry.duration)).toEqual([
    'DAYS_90',
    'DAYS_90',
    'DAYS_30',
    'DAYS_7',
  ]);
});

test('20 concurrent offences on two instances block exactly once', async () => {
  const { id, token } = await member();
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) => post(i % 2 ? a.url : b.url, FORBIDDEN_CALL, {}, { token })),
  );
  expect(responses.map(outcome)).toEqual(Array(20).fill('FORBIDDEN'));
  const user = await seen(id);
  expect(user.block).toMatchObject({ duration: 'DAYS_7', blockedBy: null });
  expect(user.blockHistory).toEqual([{ kind: 'BLOCKED', by: null, reason: 'POLICY_VIOLATION', duration: 'DAYS_7' }]);
});

test('four offences do not block', async () => {
  const { id, token } = await member();
  for (let i = 0; i < 4; i++) await post(a.url, FORBIDDEN_CALL, {}, { token });
  expect((await seen(id)).isBlocked).toBe(false);
});

test('an admin is never blocked automatically', async () => {
  const token = await signToken({ sub: 'hasty-admin', admin: true });
  const id = await a.idOf('hasty-admin', true);
  const blockSelf = `mutation($id: ID!) { blockUser(input: { userId: $id, reason: OTHER, duration: DAYS_7, userMessage: "m" }) { id } }`;
  for (let i = 0; i < 6; i++) expect(outcome(await post(a.url, blockSelf, { id }, { token }))).toBe('FORBIDDEN');
  for (let i = 0; i < 3; i++) expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('OK');
  for (let i = 0; i < 6; i++) expect(outcome(await post(a.url, CREATE, {}, { token }))).toBe('RATE_LIMITED');
  expect((await seen(id)).isBlocked).toBe(false);
});

test("a member an admin already blocked keeps the admin's block", async () => {
  const { id, token } = await member();
  const block = `mutation($id: ID!) { blockUser(input: { userId: $id, reason: ITEM_DAMAGE, duration: DAYS_90, userMessage: "Broke the drill" }) { id } }`;
  expect(outcome(await admin(block, { id }))).toBe('OK');
  for (let i = 0; i < 6; i++) await post(a.url, FORBIDDEN_CALL, {}, { token });
  const user = await seen(id);
  expect(user.block).toMatchObject({ reason: 'ITEM_DAMAGE', duration: 'DAYS_90', blockedBy: { id: expect.any(String) } });
  expect(user.blockHistory).toHaveLength(1);
});

test('AUTO_BLOCK_OFFENCES=0 switches automated blocks off', async () => {
  const lenient = await startTestWarden({ env: { ...ENV, AUTO_BLOCK_OFFENCES: '0' } });
  try {
    const { id, token } = await member();
    for (let i = 0; i < 8; i++) await post(lenient.url, FORBIDDEN_CALL, {}, { token });
    expect((await seen(id)).isBlocked).toBe(false);
  } finally {
    await lenient.stop();
  }
});
