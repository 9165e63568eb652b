import { errorCode } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { BLOCK_USER, UNBLOCK_USER, blockInput } from './operations';

let api: TestWarden;
let adminId: string;
let otherAdminId: string;
let memberId: string;
const admin = () => api.as('admin', true);

beforeAll(async () => {
  // These tests make one member call admin operations over and over; the automated-block
  // policy would (rightly) block it. The policy has its own tests in test/rate-limit.
  api = await startTestWarden({ env: { AUTO_BLOCK_OFFENCES: '0' } });
  adminId = await api.idOf('admin', true);
  otherAdminId = await api.idOf('admin-2', true);
  memberId = await api.idOf('member');
});
afterAll(() => api.stop());

describe('who may block', () => {
  test('a member calling blockUser is FORBIDDEN and nothing changes', async () => {
    const victim = await api.idOf('victim');
    const response = await api.as('member')(BLOCK_USER, { input: blockInput(victim) });
    expect(errorCode(response)).toBe('FORBIDDEN');
    const check = await admin()(`{ user(id: "${victim}") { isBlocked blockHistory { kind } } }`);
    expect(check.data?.user).toEqual({ isBlocked: false, blockHistory: [] });
  });

  test('a member calling unblockUser is FORBIDDEN', async () => {
    const response = await api.as('member')(UNBLOCK_USER, { input: { userId: memberId, reason: 'please' } });
    expect(errorCode(response)).toBe('FORBIDDEN');
  });

  test('an admin cannot block themself', async () => {
    expect(errorCode(await admin()(BLOCK_USER, { input: blockInput(adminId) }))).toBe('FORBIDDEN');
  });

  test('an admin cannot block another admin', async () => {
    expect(errorCode(await admin()(BLOCK_USER, { input: blockInput(otherAdminId) }))).toBe('FORBIDDEN');
  });

  test('a member cannot read another member through user(id)', async () => {
    expect(errorCode(await api.as('member')(`{ user(id: "${adminId}") { id } }`))).toBe('FORBIDDEN');
  });

  test('block details are for admins only, even on oneself', async () => {
    expect(errorCode(await api.as('member')('{ me { block { reason } } }'))).toBe('FORBIDDEN');
    expect(errorCode(await api.as('member')('{ me { blockHistory { kind } } }'))).toBe('FORBIDDEN');
  });
});

describe('blocking and unblocking', () => {
  test('a block is stored with reason, duration, messages, actor and expiry, and shown to the member as status', async () => {
    const id = await api.idOf('blocked-1');
    const response = await admin()(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_30' }) });
    expect(response.errors).toBeUndefined();
    const status = response.data!.blockUser.accountStatus;
    expect(status.state).toBe('BLOCKED');
    const expiresAt = new Date(status.expiresAt).getTime();
    expect(expiresAt - new Date(status.changedAt).getTime()).toBe(30 * 86_400_000);

    const seen = await admin()(`{ user(id: "${id}") {
      isBlocked block { reason duration userMessage adminNote blockedAt expiresAt blockedBy { id } } } }`);
    expect(seen.data?.user.block).toMatchObject({
      reason: 'LATE_RETURN',
      duration: 'DAYS_30',
      userMessage: blockInput(id).userMessage,
      adminNote: 'Third late return this month',
      blockedBy: { id: adminId },
    });

    const own = await api.as('blocked-1')('{ me { isBlocked accountStatus { state reason userMessage expiresAt } } }');
    expect(own.data?.me).toEqual({
      isBlocked: true,
      accountStatus: { state: 'BLOCKED', reason: 'LATE_RETURN', userMessage: blockInput(id).userMessage, expiresAt: status.expiresAt },
    });
  });

  test('an indefinite block has no expiry', async () => {
    const id = await api.idOf('blocked-2');
    const response = await admin()(BLOCK_USER, { input: blockInput(id, { duration: 'INDEFINITE' }) });
    expect(response.data?.blockUser.accountStatus.expiresAt).toBeNull();
  });

  test('blocking a blocked member replaces the block and keeps both in the history, newest first', async () => {
    const id = await api.idOf('blocked-3');
    await admin()(BLOCK_USER, { input: blockInput(id, { reason: 'LATE_RETURN', duration: 'DAYS_7' }) });
    await admin()(BLOCK_USER, { input: blockInput(id, { reason: 'ITEM_DAMAGE', duration: 'DAYS_90', adminNote: 'broke the drill' }) });
    const seen = await admin()(`{ user(id: "${id}") { block { reason duration } blockHistory { kind reason duration note by { id } } } }`);
    expect(seen.data?.user.block).toEqual({ reason: 'ITEM_DAMAGE', duration: 'DAYS_90' });
    expect(seen.data?.user.blockHistory).toEqual([
      { kind: 'BLOCKED', reason: 'ITEM_DAMAGE', duration: 'DAYS_90', note: 'broke the drill', by: { id: adminId } },
      { kind: 'BLOCKED', reason: 'LATE_RETURN', duration: 'DAYS_7', note: 'Third late return this month', by: { id: adminId } },
    ]);
  });

  test('unblocking records who and why', async () => {
    const id = await api.idOf('blocked-4');
    await admin()(BLOCK_USER, { input: blockInput(id) });
    const response = await admin()(UNBLOCK_USER, { input: { userId: id, reason: 'Returned everything' } });
    expect(response.data?.unblockUser).toEqual({ id, isBlocked: false, accountStatus: { state: 'ACTIVE' } });
    const seen = await admin()(`{ user(id: "${id}") { block { reason } blockHistory { kind note by { id } } } }`);
    expect(seen.data?.user.block).toBeNull();
    expect(seen.data?.user.blockHistory[0]).toEqual({ kind: 'UNBLOCKED', note: 'Returned everything', by: { id: adminId } });
  });

  test('unblocking a member who is not blocked is BAD_USER_INPUT', async () => {
    const id = await api.idOf('never-blocked');
    expect(errorCode(await admin()(UNBLOCK_USER, { input: { userId: id, reason: 'why not' } }))).toBe('BAD_USER_INPUT');
  });

  test('an unknown member is NOT_FOUND for block and unblock, and null for user(id)', async () => {
    const unknown = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    expect(errorCode(await admin()(BLOCK_USER, { input: blockInput(unknown) }))).toBe('NOT_FOUND');
    expect(errorCode(await admin()(UNBLOCK_USER, { input: { userId: unknown, reason: 'x' } }))).toBe('NOT_FOUND');
    const response = await admin()(`{ user(id: "${unknown}") { id } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data?.user).toBeNull();
  });
});
