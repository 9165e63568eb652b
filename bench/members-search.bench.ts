/**
 * Staff's member search (`members`) on 10,000 members.
 *
 *   npm run bench:members -- [--members 10000] [--runs 20]
 *
 * Resolves MongoDB as the tests do (MONGODB_URI, else a spawned server), seeds --members
 * members in a fresh database (names, emails; 5 % blocked, 5 % restricted, 1 % with an open
 * appeal), builds the indexes and times one page of 20 with its totalCount through the
 * repository for each kind of filter. Prints p50 and p99 and the page query's plan (which
 * index serves it); asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { newEntityId } from '../domain/shared/entity-id';
import type { MemberQuery } from '../domain/user/member-directory';
import { appealModel } from '../infrastructure/mongo/models/appeal.model';
import { personalUserModel } from '../infrastructure/mongo/models/personal-user.model';
import { MongoMemberDirectory } from '../infrastructure/mongo/repositories/member-directory';
import { resolveMongo } from '../infrastructure/services/resolve-mongo';
import { withDatabase } from '../test/support/test-env';
import { spread } from './support/floors';
import { planOf } from './support/query-plan';
import { runAsMain } from './support/run-as-main';

const FIRST = ['Ada', 'Bruno', 'Chloe', 'Dmitri', 'Eva', 'Farah', 'Gus', 'Hana', 'Ivo', 'Jana', 'Kofi', 'Lena', 'Milo', 'Nora'];
const LAST = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet'];
const DAY_MS = 86_400_000;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

export interface MembersSearchBenchOptions {
  members: number;
  runs: number;
}

export async function runMembersSearchBench({ members, runs }: MembersSearchBenchOptions): Promise<boolean> {
  const mongo = await resolveMongo({ info: (message) => console.log(`  [services] ${message}`), warn: (message) => console.log(`  [services] ${message}`) });
  const uri = withDatabase(mongo.uri, `warden_bench_members_${randomBytes(4).toString('hex')}`);
  const conn = await mongoose.createConnection(uri, { autoIndex: false, autoCreate: false, socketTimeoutMS: 0 }).asPromise();
  try {
    console.log(`members-search bench: ${members} members on ${mongo.kind}, ${runs} runs per case`);
    await personalUserModel(conn).createIndexes();
    await appealModel(conn).createIndexes();
    const now = Date.now();
    const docs = Array.from({ length: members }, (_, index) => {
      const first = FIRST[index % FIRST.length]!;
      const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
      const slug = `${first}.${last}.${index}`.toLowerCase().replace(/\s+/g, '');
      const blocked = index % 20 === 0;
      const restricted = index % 20 === 1;
      return {
        _id: newEntityId(new Date(now - (members - index) * 1_000)),
        externalId: `auth0|${slug}`,
        displayName: `${first} ${last} ${index}`,
        email: `${slug}@example.org`,
        role: index % 500 === 0 ? 'MODERATOR' : 'MEMBER',
        block: blocked
          ? { reason: 'LATE_RETURN', duration: 'DAYS_30', userMessage: 'Late.', adminNote: null, blockedAt: new Date(now - DAY_MS), blockedBy: null, expiresAt: new Date(now + 29 * DAY_MS) }
          : null,
        restrictions: restricted
          ? [{ id: newEntityId(), actions: ['SEND_MESSAGE'], categories: null, reason: 'OTHER', duration: 'DAYS_7', userMessage: 'Calm.', adminNote: null, createdAt: new Date(now - DAY_MS), createdBy: null, expiresAt: new Date(now + 6 * DAY_MS) }]
          : [],
        blockHistory: [],
        outbox: [],
        version: 0,
        createdAt: new Date(now - (members - index) * 1_000),
      };
    });
    await conn.collection('users').insertMany(docs as never[], { ordered: false });
    const appealing = docs.filter((_, index) => index % 100 === 0);
    await conn.collection('appeals').insertMany(
      appealing.map((doc) => ({
        _id: newEntityId() as never,
        userId: doc._id,
        blockKey: `${doc._id}:${now}`,
        blockReason: 'LATE_RETURN',
        blockedAt: new Date(now - DAY_MS),
        message: 'Please.',
        state: 'OPEN',
        createdAt: new Date(now),
      })),
    );

    const directory = new MongoMemberDirectory(conn, { now: () => new Date() });
    const none: MemberQuery = { search: null, states: null, roles: null, appealOpen: null };
    const cases: [string, MemberQuery][] = [
      ['no filter', none],
      ['name word "nora"', { ...none, search: 'nora' }],
      ['name words "nora peeters 13"', { ...none, search: 'nora peeters 13' }],
      ['email prefix "eva.maes"', { ...none, search: 'eva.maes' }],
      ['external id "auth0|ivo"', { ...none, search: 'auth0|ivo' }],
      ['state BLOCKED', { ...none, states: ['BLOCKED'] }],
      ['state RESTRICTED', { ...none, states: ['RESTRICTED'] }],
      ['state ACTIVE', { ...none, states: ['ACTIVE'] }],
      ['role MODERATOR', { ...none, roles: ['MODERATOR'] }],
      ['open appeal', { ...none, appealOpen: true }],
      ['name word "a" + BLOCKED', { ...none, search: 'a', states: ['BLOCKED'] }],
    ];
    for (const [name, query] of cases) {
      const times: number[] = [];
      let total = 0;
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        const page = await directory.search(query, { first: 20 }, new Date());
        times.push(performance.now() - started);
        total = page.totalCount;
      }
      const { p50, p99 } = spread(times);
      console.log(`  ${name.padEnd(32)} total ${String(total).padStart(5)}   p50 ${p50.toFixed(1).padStart(7)} ms   p99 ${p99.toFixed(1).padStart(7)} ms`);
    }
    console.log('plans of the page queries (the count runs the same filter):');
    const users = personalUserModel(conn);
    for (const [name, query] of cases) {
      const filter = await directory.filterFor(query, new Date());
      console.log(`  ${name.padEnd(32)} ${await planOf(users.find(filter).sort({ createdAt: -1, _id: -1 }).limit(21))}`);
    }
    return true;
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await mongo.stop();
  }
}

if (require.main === module) {
  runAsMain('members-search bench', async () =>
    (await runMembersSearchBench({ members: argument('members', 10_000), runs: argument('runs', 20) })) ? 0 : 1,
  );
}
