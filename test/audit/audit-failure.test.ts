import { Writable } from 'node:stream';
import pino from 'pino';
import { startWarden, type Warden } from '../../api/start-warden';
import { systemClock } from '../../domain/shared/clock';
import { MongoAuditRecorder } from '../../infrastructure/audit/mongo-audit-recorder';
import { loadConfig } from '../../infrastructure/config/config';
import { closeMongo, connectMongo, type Connection } from '../../infrastructure/mongo/connection';
import { MongoAuditLogRepository } from '../../infrastructure/mongo/repositories/audit-log.repository';
import { PubSub } from 'graphql-subscriptions';
import { BLOCK_USER, blockInput } from '../api/operations';
import { errorCode, postGraphQL } from '../support/graphql-http';
import {
  startDedicatedServices,
  testMongoUri,
  testRedisPrefix,
  testRedisUrl,
  withDatabase,
  type DedicatedServices,
} from '../support/test-env';
import { signToken, TEST_JWT_SECRET } from '../support/tokens';
import { MODERATION_LOG } from './audit-support';

/**
 * The audit store fails for real (its own server, stopped): the actions it records go
 * on, and every entry that cannot be kept is logged at error level, whole.
 */

/** The contract's bound for an answer; an action must not wait for the audit store. */
const ACTION_BOUND_MS = 2_000;

let dedicated: DedicatedServices;
let warden: Warden;
let auditUri: string;
const lines: Record<string, any>[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    done();
  },
});
const log = pino({ level: 'info', base: { instance: 'audit-fault' } }, capture);

beforeAll(async () => {
  dedicated = await startDedicatedServices();
  auditUri = withDatabase(dedicated.mongo.uri, 'warden_audit_fault');
  warden = await startWarden({
    config: loadConfig({ PORT: '0', JWT_SECRET: TEST_JWT_SECRET, INSTANCE_ID: 'audit-fault' }),
    mongoUri: testMongoUri(),
    auditMongoUri: auditUri,
    redisUrl: testRedisUrl(),
    redisPrefix: testRedisPrefix(),
    log,
  });
}, 60_000);
afterAll(async () => {
  await warden?.stop();
  await dedicated?.dispose();
});

const as = (sub: string, admin = false) => async (query: string, variables: Record<string, unknown> = {}) =>
  postGraphQL(warden.url, query, variables, await signToken({ sub, admin }));
const idOf = async (sub: string) => (await as(sub)('{ me { id } }')).data!.me.id as string;
const lost = () => lines.filter((line) => line.level === 50 && line.msg === 'audit entry lost');

test('with the audit store down, blockUser succeeds at once and the lost entry is logged at error level', async () => {
  const admin = as('admin', true);
  const before = await idOf('before-outage');
  await admin(BLOCK_USER, { input: blockInput(before) });
  await warden.flushAudit();
  const stored = await admin(MODERATION_LOG, { filter: { userId: before } });
  expect(stored.data?.moderationLog.nodes.map((entry: { type: string }) => entry.type)).toEqual(['USER_BLOCKED']);

  await dedicated.mongo.stop();

  const victim = await idOf('during-outage');
  const started = Date.now();
  const response = await admin(BLOCK_USER, { input: blockInput(victim, { adminNote: 'kept in the log line' }) });
  expect(Date.now() - started).toBeLessThan(ACTION_BOUND_MS);
  expect(response.errors).toBeUndefined();
  expect(response.data?.blockUser).toMatchObject({ id: victim, isBlocked: true });

  // The write fails, is retried once, fails again: then the entry is logged, whole.
  await warden.flushAudit();
  const line = lost().find((entry) => entry.entry?.targetId === victim);
  expect(line).toMatchObject({
    level: 50,
    action: 'audit.lost',
    why: 'write-failed',
    entry: {
      type: 'USER_BLOCKED',
      targetId: victim,
      instance: 'audit-fault',
      details: { adminNote: 'kept in the log line', duration: 'DAYS_7' },
    },
  });
  expect(lines.some((entry) => entry.action === 'audit.write-retry')).toBe(true);

  // Reading the log is what fails now, as SERVICE_UNAVAILABLE.
  expect(errorCode(await admin(MODERATION_LOG, {}))).toBe('SERVICE_UNAVAILABLE');
}, 60_000);

test('a full queue drops new entries at once, logging each as lost', async () => {
  // Still down. A recorder with room for 2 entries, on the dead store.
  let conn: Connection | null = null;
  await dedicated.mongo.start();
  try {
    conn = await connectMongo(auditUri, log);
    await dedicated.mongo.stop();
    const recorder = new MongoAuditRecorder(
      { store: new MongoAuditLogRepository(conn), pubsub: new PubSub(), channel: 'x', clock: systemClock, instance: 'tiny', log },
      { queueLimit: 2, retryDelayMs: 10 },
    );
    const before = lost().length;
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      recorder.record({ type: 'RATE_LIMITED', actorId: null, targetId: null, reason: null, correlationId: `full-${i}`, details: { i } });
    }
    expect(Date.now() - started).toBeLessThan(50);
    const overflow = lost().slice(before);
    expect(overflow.map((line) => [line.why, line.entry.correlationId])).toEqual([
      ['queue-full', 'full-2'],
      ['queue-full', 'full-3'],
      ['queue-full', 'full-4'],
    ]);
    await recorder.flush();
    expect(lost().slice(before).map((line) => line.entry.correlationId).sort()).toEqual(
      ['full-0', 'full-1', 'full-2', 'full-3', 'full-4'],
    );
  } finally {
    if (conn) await closeMongo(conn);
  }
}, 60_000);

test('record never throws, whatever it is given', () => {
  const recorder = warden.services.audit;
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  expect(() =>
    recorder.record({ type: 'RATE_LIMITED', actorId: null, targetId: null, reason: 'nul \u0000 char', correlationId: 'odd', details: { circular, big: 10n, when: new Date(Number.NaN), fn: () => 1 } }),
  ).not.toThrow();
  expect(() => recorder.record(null as never)).not.toThrow();
  expect(lost().some((line) => line.why === 'unrecordable')).toBe(true);
});
