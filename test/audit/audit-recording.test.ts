import { auditEntryForUserEvent } from '../../domain/audit/audit-entries';
import { SYSTEM_ACTOR } from '../../domain/shared/domain-event';
import { BLOCK_USER, CREATE_LISTING, LISTING_INPUT, SEND_MESSAGE, UNBLOCK_USER, blockInput } from '../api/operations';
import { errorCode } from '../support/graphql-http';
import { DAY_MS, MutableClock } from '../support/mutable-clock';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';
import { logOf, postWithHeaders } from './audit-support';

/**
 * Every entry type Warden records itself lands in the trail with its actor, target,
 * reason, details, instance and correlation id, whichever transport caused it.
 */

const clock = new MutableClock();
const INSTANCE = 'audit-recording';
let api: TestWarden;
let adminId: string;
let counter = 0;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  api = await startTestWarden({ clock, env: { INSTANCE_ID: INSTANCE } });
  adminId = await api.idOf('admin', true);
});
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(() => api.stop());

/** A fresh member: each test refuses its own, so nobody collects offences across tests. */
async function member() {
  const sub = `member-${++counter}`;
  return { sub, id: await api.idOf(sub) };
}

const admin = () => api.as('admin', true);

describe('blocks', () => {
  test('a block is USER_BLOCKED with actor, target, reason, details, instance and the response correlation id', async () => {
    const { id } = await member();
    const input = blockInput(id, { duration: 'DAYS_30', adminNote: 'Third strike' });
    const { body, correlationId } = await postWithHeaders(
      api.url,
      await signToken({ sub: 'admin', admin: true, now: clock.now() }),
      BLOCK_USER,
      { input },
    );
    expect(body.errors).toBeUndefined();
    expect(correlationId).toBeTruthy();

    const [entry, ...more] = await logOf(api, { userId: id });
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      type: 'USER_BLOCKED',
      actorId: adminId,
      actor: { id: adminId },
      targetId: id,
      target: { id },
      reason: 'LATE_RETURN',
      instance: INSTANCE,
      correlationId,
      details: {
        reason: 'LATE_RETURN',
        duration: 'DAYS_30',
        expiresAt: body.data.blockUser.accountStatus.expiresAt,
        userMessage: input.userMessage,
        adminNote: 'Third strike',
        replacedPrevious: false,
      },
    });
    expect(new Date(entry!.at).getTime()).toBeGreaterThanOrEqual(new Date(body.data.blockUser.accountStatus.changedAt).getTime());
  });

  test('replacing a block records a second USER_BLOCKED with replacedPrevious', async () => {
    const { id } = await member();
    await admin()(BLOCK_USER, { input: blockInput(id) });
    await admin()(BLOCK_USER, { input: blockInput(id, { reason: 'ITEM_DAMAGE', duration: 'INDEFINITE', adminNote: null }) });
    const entries = await logOf(api, { userId: id, types: ['USER_BLOCKED'] });
    expect(entries.map((entry) => [entry.reason, entry.details.replacedPrevious, entry.details.expiresAt, entry.details.adminNote])).toEqual([
      ['ITEM_DAMAGE', true, null, null],
      ['LATE_RETURN', false, expect.any(String), 'Third late return this month'],
    ]);
  });

  test('an unblock is USER_UNBLOCKED with the stated reason', async () => {
    const { id } = await member();
    await admin()(BLOCK_USER, { input: blockInput(id) });
    const { correlationId } = await postWithHeaders(api.url, await signToken({ sub: 'admin', admin: true, now: clock.now() }), UNBLOCK_USER, {
      input: { userId: id, reason: 'Returned everything' },
    });
    const [unblocked] = await logOf(api, { userId: id });
    expect(unblocked).toMatchObject({
      type: 'USER_UNBLOCKED',
      actorId: adminId,
      targetId: id,
      reason: 'Returned everything',
      correlationId,
      instance: INSTANCE,
      details: { reason: 'Returned everything' },
    });
  });

  test('an automated block (SYSTEM_ACTOR) is AUTOMATED_BLOCK with no actor', async () => {
    const { id } = await member();
    await api.warden.services.blockUser({
      viewer: SYSTEM_ACTOR,
      userId: id,
      reason: 'POLICY_VIOLATION',
      duration: 'DAYS_7',
      userMessage: 'Blocked automatically.',
      adminNote: '5 offences in 10 minutes',
      correlationId: 'automated-block-1',
    });
    const [entry, ...more] = await logOf(api, { userId: id });
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      type: 'AUTOMATED_BLOCK',
      actorId: null,
      actor: null,
      targetId: id,
      reason: 'POLICY_VIOLATION',
      correlationId: 'automated-block-1',
      details: { duration: 'DAYS_7', userMessage: 'Blocked automatically.', adminNote: '5 offences in 10 minutes' },
    });
  });

  test('an event recorded again (outbox relay, another instance) is kept once', async () => {
    const { id } = await member();
    const user = await api.warden.services.blockUser({
      viewer: { userId: adminId, isAdmin: true },
      userId: id,
      reason: 'OTHER',
      duration: 'DAYS_7',
      userMessage: 'Twice published',
      correlationId: 'republish-1',
    });
    await api.warden.flushAudit();
    // What a republish of the event records: the same entry, keyed by the event id.
    const [event] = user.newEvents;
    api.warden.services.audit.record(auditEntryForUserEvent(event!, null));
    api.warden.services.audit.record(auditEntryForUserEvent(event!, null));
    const entries = await logOf(api, { userId: id });
    expect(entries.map((entry) => [entry.type, entry.correlationId])).toEqual([['USER_BLOCKED', 'republish-1']]);
  });
});

describe('refusals', () => {
  test('a blocked member acting over HTTP is ACTION_REFUSED with the action and block reason', async () => {
    const { sub, id } = await member();
    await admin()(BLOCK_USER, { input: blockInput(id, { reason: 'ITEM_DAMAGE' }) });
    const { body, correlationId } = await postWithHeaders(api.url, await signToken({ sub, now: clock.now() }), CREATE_LISTING, {
      input: LISTING_INPUT,
    });
    expect(body.errors[0].extensions.code).toBe('ACCOUNT_BLOCKED');
    const [refused] = await logOf(api, { userId: id, types: ['ACTION_REFUSED'] });
    expect(refused).toMatchObject({
      type: 'ACTION_REFUSED',
      actorId: id,
      targetId: id,
      reason: 'ITEM_DAMAGE',
      correlationId,
      instance: INSTANCE,
      details: { action: 'CREATE_LISTING', reason: 'ITEM_DAMAGE', operation: 'createItemListing' },
    });
  });

  test('each refused action is one entry, per action', async () => {
    const { sub, id } = await member();
    const { id: other } = await member();
    await admin()(BLOCK_USER, { input: blockInput(id) });
    await api.as(sub)(SEND_MESSAGE, { input: { recipientId: other, text: 'hi' } });
    await api.as(sub)(CREATE_LISTING, { input: LISTING_INPUT });
    const refused = await logOf(api, { userId: id, types: ['ACTION_REFUSED'] });
    expect(refused.map((entry) => entry.details.action)).toEqual(['CREATE_LISTING', 'SEND_MESSAGE']);
  });

  test('a member calling an admin operation over HTTP is ADMIN_OPERATION_REFUSED', async () => {
    const { sub, id } = await member();
    const { id: victim } = await member();
    const { body, correlationId } = await postWithHeaders(api.url, await signToken({ sub, now: clock.now() }), BLOCK_USER, {
      input: blockInput(victim),
    });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    const [refused, ...more] = await logOf(api, { userId: id });
    expect(more).toEqual([]);
    expect(refused).toMatchObject({
      type: 'ADMIN_OPERATION_REFUSED',
      actorId: id,
      targetId: null,
      correlationId,
      details: { reasonCode: 'USER.STAFF_ONLY', operation: 'blockUser' },
    });
  });

  test('an admin blocking another admin is ADMIN_OPERATION_REFUSED with USER.ADMIN_TARGET', async () => {
    const otherAdmin = await api.idOf('admin-2', true);
    expect(errorCode(await admin()(BLOCK_USER, { input: blockInput(otherAdmin) }))).toBe('FORBIDDEN');
    const entries = await logOf(api, { userId: adminId, types: ['ADMIN_OPERATION_REFUSED'] });
    expect(entries[0]?.details).toEqual({ reasonCode: 'USER.ADMIN_TARGET', operation: 'blockUser' });
  });

  test('a member calling an admin operation over WebSocket is ADMIN_OPERATION_REFUSED, as over HTTP', async () => {
    const { sub, id } = await member();
    const { client, acked } = await RawGraphQLWs.connect(api.url, await signToken({ sub, now: clock.now() }));
    open.push(client);
    expect(acked).toBe(true);
    client.subscribe('q', `query { moderationLog { nodes { id } } }`);
    const answer = await client.next((message) => message.id === 'q' && message.type === 'next');
    expect(answer.payload.errors[0].extensions.code).toBe('FORBIDDEN');
    const [refused] = await logOf(api, { userId: id });
    expect(refused).toMatchObject({
      type: 'ADMIN_OPERATION_REFUSED',
      actorId: id,
      details: { reasonCode: 'USER.STAFF_ONLY', operation: 'moderationLog' },
    });
    expect(refused!.correlationId).toMatch(/^[\w.-]{8,}$/);
  });

  test('a refused WebSocket without a valid token is CONNECTION_REFUSED 4401 with no target', async () => {
    const before = await logOf(api, { types: ['CONNECTION_REFUSED'] });
    const { client, acked } = await RawGraphQLWs.connect(api.url, 'not-a-token');
    expect(acked).toBe(false);
    expect((await client.waitClosed()).code).toBe(4401);
    const after = await logOf(api, { types: ['CONNECTION_REFUSED'] });
    const fresh = after.filter((entry) => !before.some((old) => old.id === entry.id));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({
      type: 'CONNECTION_REFUSED',
      actorId: null,
      targetId: null,
      instance: INSTANCE,
      details: { code: 4401, ip: expect.stringMatching(/127\.0\.0\.1/) },
    });
  });

  test('a blocked member refused at connect is CONNECTION_REFUSED 4403 with the member as target', async () => {
    const { sub, id } = await member();
    await admin()(BLOCK_USER, { input: blockInput(id) });
    const { client, acked } = await RawGraphQLWs.connect(api.url, await signToken({ sub, now: clock.now() }));
    expect(acked).toBe(false);
    expect((await client.waitClosed()).code).toBe(4403);
    const [refused] = await logOf(api, { userId: id, types: ['CONNECTION_REFUSED'] });
    expect(refused).toMatchObject({
      type: 'CONNECTION_REFUSED',
      actorId: id,
      targetId: id,
      target: { id },
      details: { code: 4403, ip: expect.stringMatching(/127\.0\.0\.1/) },
    });
  });
});

// Last: moving the clock lets every block placed above expire too.
describe('expiry', () => {
  test('a block that runs out is BLOCK_EXPIRED by the system, with the lapsed block', async () => {
    const { id } = await member();
    const blocked = await admin()(BLOCK_USER, { input: blockInput(id, { duration: 'DAYS_7' }) });
    clock.advance(8 * DAY_MS);
    const settle = () => api.warden.services.settleExpiredBlock({ userId: id, correlationId: 'expiry-test' });
    await settle();
    const [expired] = await logOf(api, { userId: id, types: ['BLOCK_EXPIRED'] });
    expect(expired).toMatchObject({
      type: 'BLOCK_EXPIRED',
      actorId: null,
      actor: null,
      targetId: id,
      reason: 'LATE_RETURN',
      details: { reason: 'LATE_RETURN', duration: 'DAYS_7', expiresAt: blocked.data!.blockUser.accountStatus.expiresAt },
    });
    // Settling again (another instance, the next tick) adds nothing.
    await settle();
    expect(await logOf(api, { userId: id, types: ['BLOCK_EXPIRED'] })).toHaveLength(1);
  });
});
