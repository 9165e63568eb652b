/**
 * Moderation log read latency on a trail of 100,000 entries.
 *
 *   npm run bench:audit -- [--entries 100000] [--users 1000] [--days 90] [--runs 20]
 *                          [--budget-ms 60000]
 *
 * 1. Resolves MongoDB the way the test harness does (MONGODB_URI when set, else a spawned
 *    server) and uses a fresh database on it, dropped at the end.
 * 2. Inserts --entries entries with insertMany: every type, actors and targets among
 *    --users members, timestamps spread over the last --days days.
 * 3. Times the first page of 50, newest first, through the repository for each filter
 *    combination (none, userId, types, since/until, userId+types, userId+since), and the
 *    second page through the cursor; then the first page over HTTP, end to end (a Warden
 *    on the same database). Each case runs --runs times, or fewer when its runs exceed
 *    --budget-ms; p50 and p99 are printed, with the query plan (which index serves each).
 * Target (not asserted): < 50 ms per page.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { startWarden } from '../api/start-warden';
import { AUDIT_ENTRY_TYPES, type AuditEntry, type AuditFilter } from '../domain/audit/audit-entry';
import { newEntityId } from '../domain/shared/entity-id';
import type { PageRequest } from '../domain/shared/page';
import { loadConfig } from '../infrastructure/config/config';
import { createLogger } from '../infrastructure/logging/logger';
import { closeMongo, type Connection } from '../infrastructure/mongo/connection';
import { auditEntryModel } from '../infrastructure/mongo/models/audit-entry.model';
import { MongoAuditLogRepository, auditQuery } from '../infrastructure/mongo/repositories/audit-log.repository';
import { decodeCursor } from '../infrastructure/mongo/repositories/page-cursor';
import { resolveMongo } from '../infrastructure/services/resolve-mongo';
import type { ServiceLog } from '../infrastructure/services/service-log';
import { withDatabase } from '../test/support/test-env';
import { planOf } from './support/query-plan';
import { runAsMain } from './support/run-as-main';
import { signToken, TEST_JWT_SECRET } from '../test/support/tokens';

export interface ModerationLogBenchOptions {
  entries: number;
  users: number;
  days: number;
  runs: number;
  /** A case stops after this much time, whatever its run count. */
  budgetMs: number;
}

const DEFAULTS: ModerationLogBenchOptions = { entries: 100_000, users: 1_000, days: 90, runs: 20, budgetMs: 60_000 };
const PAGE = 50;
const TARGET_MS = 50;
const INSERT_BATCH = 5_000;
const DAY_MS = 86_400_000;

const serviceLog: ServiceLog = {
  info: (message) => console.log(`  [services] ${message}`),
  warn: (message) => console.log(`  [services] warning: ${message}`),
};

export function parseArgs(argv: readonly string[], defaults: ModerationLogBenchOptions = DEFAULTS): ModerationLogBenchOptions {
  const options = { ...defaults };
  const names: Record<string, keyof ModerationLogBenchOptions> = {
    '--entries': 'entries',
    '--users': 'users',
    '--days': 'days',
    '--runs': 'runs',
    '--budget-ms': 'budgetMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const key = names[argv[i] ?? ''];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isInteger(value) || value <= 0) throw new Error(`bad option ${argv[i]} ${argv[i + 1] ?? ''}`);
    options[key] = value;
    i++;
  }
  return options;
}

function userIdOf(index: number): string {
  return `b0000000${index.toString(16).padStart(16, '0')}`;
}

/** Entries spread evenly over the period, oldest first, with a little jitter. */
function makeEntries(options: ModerationLogBenchOptions, now: number, from: number, to: number): AuditEntry[] {
  const span = options.days * DAY_MS;
  const entries: AuditEntry[] = [];
  for (let i = from; i < to; i++) {
    const at = new Date(now - span + Math.floor(((i + Math.random()) / options.entries) * span));
    const type = AUDIT_ENTRY_TYPES[i % AUDIT_ENTRY_TYPES.length]!;
    const system = type === 'AUTOMATED_BLOCK' || type === 'BLOCK_EXPIRED' || type === 'CONNECTION_REFUSED';
    entries.push({
      id: newEntityId(at),
      type,
      actorId: system ? null : userIdOf((i * 7919) % options.users),
      targetId: userIdOf((i * 104_729 + 13) % options.users),
      reason: 'LATE_RETURN',
      at,
      instance: 'bench',
      correlationId: `bench-${i}`,
      details: { reason: 'LATE_RETURN', duration: 'DAYS_7', action: 'SEND_MESSAGE', code: 4403, ip: '127.0.0.1' },
    });
  }
  return entries;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeCase(
  name: string,
  options: ModerationLogBenchOptions,
  run: () => Promise<number>,
): Promise<{ name: string; median: number; p99: number; runs: number; items: number }> {
  const times: number[] = [];
  let items = 0;
  const started = performance.now();
  let failure: string | null = null;
  do {
    const t0 = performance.now();
    try {
      items = await run();
    } catch (error) {
      failure = error instanceof Error ? error.message.slice(0, 160) : String(error);
      break;
    }
    times.push(performance.now() - t0);
  } while (times.length < options.runs + 1 && performance.now() - started < options.budgetMs);
  // The first run warms caches up; it counts only when it is the only one.
  if (times.length > 1) times.shift();
  times.sort((a, b) => a - b);
  const result = { name, median: percentile(times, 50), p99: percentile(times, 99), runs: times.length, items };
  const verdict = failure ? `FAILED: ${failure}` : result.p99 < TARGET_MS ? 'ok' : 'OVER TARGET';
  console.log(
    `  ${name.padEnd(34)} p50 ${result.median.toFixed(1).padStart(9)} ms   p99 ${result.p99.toFixed(1).padStart(9)} ms` +
      `   (${result.runs} runs, ${items} items)  ${verdict}`,
  );
  return result;
}

/** The plan of the page query `filter` and `page` make (bench/support/query-plan.ts). */
function planOfPage(conn: Connection, filter: AuditFilter, page: PageRequest): Promise<string> {
  const after = page.after ? decodeCursor(page.after) : null;
  return planOf(auditEntryModel(conn).find(auditQuery(filter, after)).sort({ at: -1, _id: -1 }).limit(page.first + 1));
}

export async function runModerationLogBench(options: ModerationLogBenchOptions = DEFAULTS): Promise<boolean> {
  console.log(`moderation-log bench: ${JSON.stringify(options)}`);
  const mongo = await resolveMongo(serviceLog);
  const database = `warden_bench_audit_${randomBytes(4).toString('hex')}`;
  const uri = withDatabase(mongo.uri, database);
  const log = createLogger('bench');
  let conn: Connection | null = null;
  try {
    console.log(`MongoDB: ${mongo.kind}, database ${database}`);
    // Not connectMongo: its 4 s socket timeout (an API request's bound) would cut off a
    // case whose plan scans, and this bench is here to show such a plan, not to fail on it.
    conn = await mongoose.createConnection(uri, { autoIndex: false, autoCreate: false, socketTimeoutMS: 0 }).asPromise();
    await auditEntryModel(conn).createIndexes();
    const repository = new MongoAuditLogRepository(conn);

    const now = Date.now();
    const insertStarted = performance.now();
    for (let from = 0; from < options.entries; from += INSERT_BATCH) {
      const stored = await repository.insertMany(makeEntries(options, now, from, Math.min(options.entries, from + INSERT_BATCH)));
      if (stored.length === 0) throw new Error('nothing inserted');
    }
    console.log(`inserted ${options.entries} entries in ${((performance.now() - insertStarted) / 1000).toFixed(1)} s`);

    const user = userIdOf(42);
    const week = { since: new Date(now - 30 * DAY_MS), until: new Date(now - 23 * DAY_MS) };
    const cases: { name: string; filter: AuditFilter }[] = [
      { name: 'none', filter: {} },
      { name: 'userId', filter: { userId: user } },
      { name: 'types (2)', filter: { types: ['USER_BLOCKED', 'APPEAL_FILED'] } },
      { name: 'since/until (7 days)', filter: week },
      { name: 'userId + types (2)', filter: { userId: user, types: ['USER_BLOCKED', 'ACTION_REFUSED'] } },
      { name: 'userId + since (30 days)', filter: { userId: user, since: new Date(now - 30 * DAY_MS) } },
      { name: 'types + since/until', filter: { types: ['RATE_LIMITED'], ...week } },
    ];

    console.log(`\n── first page of ${PAGE} through the repository (target < ${TARGET_MS} ms) ──`);
    const results = [];
    for (const { name, filter } of cases) {
      results.push(await timeCase(name, options, async () => (await repository.list(filter, { first: PAGE })).items.length));
    }
    console.log(`\n── second page through the cursor ──`);
    for (const { name, filter } of [cases[0]!, cases[1]!, cases[2]!]) {
      const first = await repository.list(filter, { first: PAGE });
      const page = { first: PAGE, after: first.endCursor };
      results.push(
        await timeCase(`${name}, page 2`, options, async () => (await repository.list(filter, page)).items.length),
      );
    }

    console.log(`\n── query plans ──`);
    for (const { name, filter } of cases) console.log(`  ${name.padEnd(28)} ${await planOfPage(conn, filter, { first: PAGE })}`);

    console.log(`\n── first page over HTTP, end to end (moderationLog(first: ${PAGE}) with actor and target) ──`);
    console.log('  (an API request waits at most 4 s for MongoDB: a slower page answers SERVICE_UNAVAILABLE)');
    const warden = await startWarden({
      config: loadConfig({ PORT: '0', JWT_SECRET: TEST_JWT_SECRET, INSTANCE_ID: 'bench' }),
      mongoUri: uri,
      redisUrl: null,
      log,
    });
    try {
      const token = await signToken({ sub: 'bench-admin', admin: true });
      const post = async (filter: Record<string, unknown>): Promise<number> => {
        const response = await fetch(warden.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: `query($filter: ModerationLogFilter) { moderationLog(filter: $filter, first: ${PAGE}) {
              nodes { id type at actor { id } target { id } details } pageInfo { endCursor hasNextPage } } }`,
            variables: { filter },
          }),
        });
        const body = (await response.json()) as { data?: { moderationLog: { nodes: unknown[] } }; errors?: unknown };
        if (!body.data) throw new Error(`HTTP bench failed: ${JSON.stringify(body.errors)}`);
        return body.data.moderationLog.nodes.length;
      };
      results.push(await timeCase('HTTP none', options, () => post({})));
      results.push(await timeCase('HTTP userId', options, () => post({ userId: user })));
    } finally {
      await warden.stop();
    }

    const over = results.filter((result) => !(result.p99 < TARGET_MS));
    console.log(
      over.length === 0
        ? `\nall cases under ${TARGET_MS} ms (p99)`
        : `\n${over.length} of ${results.length} cases over ${TARGET_MS} ms (p99): ${over.map((result) => result.name).join(', ')}`,
    );
    return true;
  } finally {
    if (conn) {
      await conn.dropDatabase().catch(() => undefined);
      await closeMongo(conn);
    }
    await mongo.stop();
  }
}

if (require.main === module) {
  runAsMain('moderation-log bench', async () => ((await runModerationLogBench(parseArgs(process.argv.slice(2)))) ? 0 : 1));
}
