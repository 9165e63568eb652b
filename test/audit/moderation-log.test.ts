import type { Connection } from 'mongoose';
import type { AuditEntry, AuditEntryType } from '../../domain/audit/audit-entry';
import { newEntityId } from '../../domain/shared/entity-id';
import { createLogger } from '../../infrastructure/logging/logger';
import { closeMongo, connectMongo } from '../../infrastructure/mongo/connection';
import { MongoAuditLogRepository } from '../../infrastructure/mongo/repositories/audit-log.repository';
import { errorCode } from '../support/graphql-http';
import { testMongoUri } from '../support/test-env';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';
import { MODERATION_EVENTS, MODERATION_LOG, type LogEntry } from './audit-support';

/**
 * moderationLog: admins only, newest first, every filter combination, and keyset pages
 * that neither repeat nor skip while entries keep arriving. Entries are written straight
 * into the trail with chosen times, so each filter's expected answer is known exactly.
 */

const mongoUri = testMongoUri();
let api: TestWarden;
let conn: Connection;
let store: MongoAuditLogRepository;
let alice: string;
let bob: string;
let carol: string;
const T0 = Date.parse('2031-03-01T00:00:00.000Z');
const MINUTE = 60_000;
const seeded: AuditEntry[] = [];

function entry(minute: number, type: AuditEntryType, actorId: string | null, targetId: string | null): AuditEntry {
  const at = new Date(T0 + minute * MINUTE);
  return { id: newEntityId(at), type, actorId, targetId, reason: null, at, instance: 'seed', correlationId: `seed-${minute}`, details: { minute } };
}

beforeAll(async () => {
  api = await startTestWarden({ mongoUri });
  await api.idOf('admin', true);
  [alice, bob, carol] = await Promise.all([api.idOf('alice'), api.idOf('bob'), api.idOf('carol')]);
  conn = await connectMongo(mongoUri, createLogger('test'));
  store = new MongoAuditLogRepository(conn);
  // 60 entries a minute apart: alice acts on bob, bob on carol, the system on alice…
  const rows: [AuditEntryType, string | null, string | null][] = [
    ['USER_BLOCKED', alice, bob],
    ['ACTION_REFUSED', bob, bob],
    ['AUTOMATED_BLOCK', null, carol],
    ['USER_UNBLOCKED', alice, bob],
    ['CONNECTION_REFUSED', null, null],
    ['ADMIN_OPERATION_REFUSED', carol, null],
  ];
  for (let minute = 0; minute < 60; minute++) {
    const [type, actor, target] = rows[minute % rows.length]!;
    seeded.push(entry(minute, type, actor, target));
  }
  // Two entries at the very same instant: the id breaks the tie.
  seeded.push({ ...entry(30, 'USER_BLOCKED', alice, carol), id: newEntityId(new Date(T0 + 30 * MINUTE)) });
  await store.insertMany([...seeded].reverse());
});
afterAll(async () => {
  await closeMongo(conn);
  await api.stop();
});

const admin = () => api.as('admin', true);

/** The seeded entries a filter should return, newest first. */
function expected(keep: (entry: AuditEntry) => boolean): string[] {
  return seeded
    .filter(keep)
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1))
    .map((entry) => entry.id);
}

/** Every page of the log for `filter`, `first` at a time. */
async function allPages(filter: Record<string, unknown>, first: number, between?: () => Promise<void>): Promise<LogEntry[]> {
  const seen: LogEntry[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 1_000; pages++) {
    const response = await admin()(MODERATION_LOG, { filter, first, after });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    const { nodes, pageInfo } = response.data!.moderationLog;
    seen.push(...nodes);
    if (!pageInfo.hasNextPage) return seen;
    after = pageInfo.endCursor;
    await between?.();
  }
  throw new Error('too many pages');
}

const inSeed = (entries: LogEntry[]) => entries.filter((entry) => entry.instance === 'seed').map((entry) => entry.id);
const iso = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

describe('filters', () => {
  test('no filter: every entry, newest first, ties broken by id', async () => {
    expect(inSeed(await allPages({}, 100))).toEqual(expected(() => true));
  });

  test('userId: entries whose actor or target is the member', async () => {
    const entries = await allPages({ userId: bob }, 7);
    expect(inSeed(entries)).toEqual(expected((e) => e.actorId === bob || e.targetId === bob));
    expect(entries.length).toBeGreaterThan(0);
  });

  test('types: one or several', async () => {
    expect(inSeed(await allPages({ types: ['AUTOMATED_BLOCK'] }, 4))).toEqual(expected((e) => e.type === 'AUTOMATED_BLOCK'));
    expect(inSeed(await allPages({ types: ['USER_BLOCKED', 'USER_UNBLOCKED'] }, 4))).toEqual(
      expected((e) => e.type === 'USER_BLOCKED' || e.type === 'USER_UNBLOCKED'),
    );
  });

  test('since is inclusive, until exclusive', async () => {
    const entries = await allPages({ since: iso(10), until: iso(20) }, 3);
    expect(inSeed(entries)).toEqual(expected((e) => e.at.getTime() >= T0 + 10 * MINUTE && e.at.getTime() < T0 + 20 * MINUTE));
    expect(inSeed(entries)).toHaveLength(10);
  });

  test.each([
    ['userId + types', () => ({ userId: alice, types: ['USER_BLOCKED'] }), (e: AuditEntry) => (e.actorId === alice || e.targetId === alice) && e.type === 'USER_BLOCKED'],
    ['userId + since', () => ({ userId: carol, since: iso(25) }), (e: AuditEntry) => (e.actorId === carol || e.targetId === carol) && e.at.getTime() >= T0 + 25 * MINUTE],
    ['userId + until', () => ({ userId: bob, until: iso(25) }), (e: AuditEntry) => (e.actorId === bob || e.targetId === bob) && e.at.getTime() < T0 + 25 * MINUTE],
    ['types + since/until', () => ({ types: ['CONNECTION_REFUSED', 'USER_BLOCKED'], since: iso(5), until: iso(50) }), (e: AuditEntry) => ['CONNECTION_REFUSED', 'USER_BLOCKED'].includes(e.type) && e.at.getTime() >= T0 + 5 * MINUTE && e.at.getTime() < T0 + 50 * MINUTE],
    ['everything', () => ({ userId: alice, types: ['USER_BLOCKED', 'AUTOMATED_BLOCK'], since: iso(0), until: iso(45) }), (e: AuditEntry) => (e.actorId === alice || e.targetId === alice) && ['USER_BLOCKED', 'AUTOMATED_BLOCK'].includes(e.type) && e.at.getTime() < T0 + 45 * MINUTE],
  ])('%s', async (_name, filter, keep) => {
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(inSeed(await allPages(filter(), 2))).toEqual(want);
  });

  test('an empty types list, or a member with no entries, is an empty page', async () => {
    const empty = await admin()(MODERATION_LOG, { filter: { types: [] } });
    expect(empty.data?.moderationLog).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false } });
    const nobody = await admin()(MODERATION_LOG, { filter: { userId: 'ffffffffffffffffffffffff' } });
    expect(nobody.data?.moderationLog.nodes).toEqual([]);
  });

  test('actor and target resolve to members; details come back as JSON', async () => {
    const [first] = await allPages({ userId: alice, types: ['USER_UNBLOCKED'] }, 1);
    expect(first).toMatchObject({ actor: { id: alice }, target: { id: bob }, details: { minute: expect.any(Number) } });
  });
});

describe('pagination', () => {
  test('pages neither repeat nor skip while entries are recorded between fetches', async () => {
    const before = inSeed(await allPages({}, 100));
    let n = 0;
    const during = await allPages({}, 5, async () => {
      // New entries, stored now (newer than every seeded one) and a past one in the middle.
      api.warden.services.audit.record({ type: 'RATE_LIMITED', actorId: alice, targetId: alice, reason: null, correlationId: `live-${n++}`, details: {} });
      await store.insertMany([{ ...entry(29.5, 'RATE_LIMITED', bob, bob), instance: 'late', id: newEntityId(new Date(T0 + 29.5 * MINUTE)) }]);
      await api.warden.flushAudit();
    });
    const ids = during.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Everything that was there before the first page is listed exactly once, in order.
    expect(inSeed(during)).toEqual(before);
    // Order holds across pages.
    const times = during.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test('first is 1..100; a cursor not made by the log is BAD_USER_INPUT', async () => {
    for (const first of [0, 101, -1]) {
      expect(errorCode(await admin()(MODERATION_LOG, { first }))).toBe('BAD_USER_INPUT');
    }
    expect(errorCode(await admin()(MODERATION_LOG, { after: 'bm90IGEgY3Vyc29y' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await admin()(MODERATION_LOG, { filter: { since: iso(5), until: iso(5) } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await admin()(MODERATION_LOG, { filter: { userId: 'nope' } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await admin()(MODERATION_LOG, { filter: { types: ['NOT_A_TYPE'] } }))).toBe('BAD_USER_INPUT');
  });
});

describe('admins only', () => {
  test('a member reading the log is FORBIDDEN', async () => {
    const response = await api.as('alice')(MODERATION_LOG, {});
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.data).toBeNull();
  });

  test('a member subscribing to moderationEvents is FORBIDDEN and holds no listener', async () => {
    const { client, acked } = await RawGraphQLWs.connect(api.url, await signToken({ sub: 'bob' }));
    try {
      expect(acked).toBe(true);
      client.subscribe('m', MODERATION_EVENTS);
      const answer = await client.next((message) => message.id === 'm' && (message.type === 'next' || message.type === 'error'));
      const errors = answer.type === 'error' ? answer.payload : answer.payload.errors;
      expect(errors[0].extensions.code).toBe('FORBIDDEN');
      expect(api.warden.registry.moderationWatchers()).toEqual([]);
    } finally {
      client.terminate();
    }
  });
});
