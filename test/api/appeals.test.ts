import { errorCode } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';
import { BLOCK_USER, CREATE_LISTING, LISTING_INPUT, UNBLOCK_USER, blockInput } from './operations';

const APPEAL = `mutation Appeal($message: String!) { appealBlock(message: $message) { id state message blockReason member { id } } }`;
const DECIDE = `mutation Decide($appealId: ID!, $approve: Boolean!, $note: String!) {
  decideAppeal(appealId: $appealId, approve: $approve, note: $note) { id state decisionNote decidedBy { id } }
}`;
const MY_STATUS = '{ me { isBlocked accountStatus { state appeal { id state decisionNote decidedBy { id } } } } }';

let api: TestWarden;
let adminId: string;
let counter = 0;
const admin = () => api.as('admin', true);

beforeAll(async () => {
  api = await startTestWarden();
  adminId = await api.idOf('admin', true);
});
afterAll(() => api.stop());

async function blockedMember() {
  const sub = `appellant-${++counter}`;
  const id = await api.idOf(sub);
  await admin()(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_90' }) });
  return { sub, id, as: api.as(sub) };
}

test('a blocked member files an appeal over HTTP, and sees it in their status', async () => {
  const member = await blockedMember();
  const filed = await member.as(APPEAL, { message: '  I returned the drill on time, see the photo.  ' });
  expect(filed.errors).toBeUndefined();
  expect(filed.data?.appealBlock).toMatchObject({
    state: 'OPEN',
    message: 'I returned the drill on time, see the photo.',
    blockReason: 'LATE_RETURN',
    member: { id: member.id },
  });
  const status = await member.as(MY_STATUS);
  expect(status.data?.me.accountStatus.appeal).toEqual({
    id: filed.data!.appealBlock.id,
    state: 'OPEN',
    decisionNote: null,
    decidedBy: null,
  });
});

test('one appeal per block, also when two are filed at once', async () => {
  const member = await blockedMember();
  const results = await Promise.all([member.as(APPEAL, { message: 'first' }), member.as(APPEAL, { message: 'second' })]);
  const accepted = results.filter((result) => !result.errors);
  expect(accepted).toHaveLength(1);
  expect(errorCode(results.find((result) => result.errors)!)).toBe('BAD_USER_INPUT');
  expect(errorCode(await member.as(APPEAL, { message: 'third' }))).toBe('BAD_USER_INPUT');
});

test('a member who is not blocked cannot appeal', async () => {
  expect(errorCode(await api.as('free-member')(APPEAL, { message: 'why not' }))).toBe('BAD_USER_INPUT');
});

test.each([
  ['empty', ''],
  ['blank', '   '],
  ['over 2000 characters', 'a'.repeat(2001)],
  ['a NUL character', 'a\u0000b'],
])('an appeal message that is %s is BAD_USER_INPUT', async (_name, message) => {
  const member = await blockedMember();
  expect(errorCode(await member.as(APPEAL, { message }))).toBe('BAD_USER_INPUT');
});

test('admins list open appeals; members may not', async () => {
  const member = await blockedMember();
  const filed = await member.as(APPEAL, { message: 'please' });
  const open = await admin()('{ openAppeals(first: 100) { nodes { id member { id } } } }');
  expect(open.data?.openAppeals.nodes).toContainEqual({ id: filed.data!.appealBlock.id, member: { id: member.id } });
  expect(errorCode(await member.as('{ openAppeals { nodes { id } } }'))).toBe('FORBIDDEN');
});

test('approving lifts the block, with a history entry naming the appeal', async () => {
  const member = await blockedMember();
  const appealId = (await member.as(APPEAL, { message: 'it was my neighbour' })).data!.appealBlock.id;
  const decided = await admin()(DECIDE, { appealId, approve: true, note: 'Confirmed with the sharer' });
  expect(decided.data?.decideAppeal).toEqual({ id: appealId, state: 'APPROVED', decisionNote: 'Confirmed with the sharer', decidedBy: { id: adminId } });

  const status = await member.as('{ me { isBlocked accountStatus { state } } }');
  expect(status.data?.me).toEqual({ isBlocked: false, accountStatus: { state: 'ACTIVE' } });
  expect((await member.as(CREATE_LISTING, { input: LISTING_INPUT })).errors).toBeUndefined();
  const history = await admin()(`{ user(id: "${member.id}") { blockHistory { kind note by { id } } } }`);
  expect(history.data?.user.blockHistory[0]).toEqual({
    kind: 'UNBLOCKED',
    note: `appeal ${appealId} approved: Confirmed with the sharer`,
    by: { id: adminId },
  });
  // The member's next connection is accepted.
  const { acked } = await RawGraphQLWs.connect(api.url, await signToken({ sub: member.sub }));
  expect(acked).toBe(true);
});

test('rejecting keeps the block and shows the decision to the member', async () => {
  const member = await blockedMember();
  const appealId = (await member.as(APPEAL, { message: 'not me' })).data!.appealBlock.id;
  await admin()(DECIDE, { appealId, approve: false, note: 'The photos show the damage' });
  const status = await member.as(MY_STATUS);
  expect(status.data?.me).toEqual({
    isBlocked: true,
    accountStatus: { state: 'BLOCKED', appeal: { id: appealId, state: 'REJECTED', decisionNote: 'The photos show the damage', decidedBy: null } },
  });
  const { client, acked } = await RawGraphQLWs.connect(api.url, await signToken({ sub: member.sub }));
  expect(acked).toBe(false);
  expect((await client.waitClosed()).code).toBe(4403);
});

test('an appeal is decided once, even by two admins at once', async () => {
  const member = await blockedMember();
  const appealId = (await member.as(APPEAL, { message: 'twice?' })).data!.appealBlock.id;
  const results = await Promise.all([
    admin()(DECIDE, { appealId, approve: true, note: 'yes' }),
    api.as('admin-2', true)(DECIDE, { appealId, approve: false, note: 'no' }),
  ]);
  expect(results.filter((result) => !result.errors)).toHaveLength(1);
  expect(errorCode(results.find((result) => result.errors)!)).toBe('BAD_USER_INPUT');
});

test('approving an appeal whose block was already lifted leaves the member as they are', async () => {
  const member = await blockedMember();
  const appealId = (await member.as(APPEAL, { message: 'late' })).data!.appealBlock.id;
  await admin()(UNBLOCK_USER, { input: { userId: member.id, reason: 'lifted anyway' } });
  const decided = await admin()(DECIDE, { appealId, approve: true, note: 'moot' });
  expect(decided.data?.decideAppeal.state).toBe('APPROVED');
  const history = await admin()(`{ user(id: "${member.id}") { blockHistory { kind } } }`);
  expect(history.data?.user.blockHistory.map((entry: { kind: string }) => entry.kind)).toEqual(['UNBLOCKED', 'BLOCKED']);
});

test('deciding is for admins; unknown or malformed appeals are refused', async () => {
  const member = await blockedMember();
  const appealId = (await member.as(APPEAL, { message: 'x' })).data!.appealBlock.id;
  expect(errorCode(await member.as(DECIDE, { appealId, approve: true, note: 'self-service' }))).toBe('FORBIDDEN');
  expect(errorCode(await admin()(DECIDE, { appealId: 'cccccccccccccccccccccccc', approve: true, note: 'n' }))).toBe('NOT_FOUND');
  expect(errorCode(await admin()(DECIDE, { appealId: 'nope', approve: true, note: 'n' }))).toBe('BAD_USER_INPUT');
  expect(errorCode(await admin()(DECIDE, { appealId, approve: true, note: '' }))).toBe('BAD_USER_INPUT');
});
