import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { mongo } from 'mongoose';
import { storedMember, type StoredMember } from './seed-members';

export interface Spread {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, mean };
}

/**
 * The store's own floor for a block: one conditional update by `_id` and version on a
 * collection of `documents` members, as Warden's save does, timed at this client.
 */
export async function storeFloor(uri: string, documents: number, runs: number): Promise<Spread> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  const collection = client.db().collection<{ _id: string; version: number; pad: string }>(`floor_${randomBytes(3).toString('hex')}`);
  try {
    const ids = Array.from({ length: documents }, (_, i) => `m${i}`);
    for (let from = 0; from < documents; from += 5_000) {
      await collection.insertMany(ids.slice(from, from + 5_000).map((_id) => ({ _id, version: 0, pad: 'x'.repeat(200) })));
    }
    const versions = new Map<string, number>();
    const timings: number[] = [];
    for (let run = 0; run < runs; run++) {
      const _id = ids[Math.floor(Math.random() * ids.length)]!;
      const version = versions.get(_id) ?? 0;
      const started = performance.now();
      const result = await collection.updateOne({ _id, version }, { $set: { pad: `y${run}` }, $inc: { version: 1 } });
      timings.push(performance.now() - started);
      if (result.matchedCount !== 1) throw new Error(`floor: the conditional update of ${_id} matched nothing`);
      versions.set(_id, version + 1);
    }
    return spread(timings);
  } finally {
    await collection.drop().catch(() => undefined);
    await client.close();
  }
}

/** Redis PUBLISH → the subscriber's receipt, on one machine: the fan-out's own floor. */
export async function redisFloor(url: string, runs: number): Promise<Spread> {
  const publisher = new Redis(url, { lazyConnect: true });
  const subscriber = new Redis(url, { lazyConnect: true });
  const channel = `floor_${randomBytes(3).toString('hex')}`;
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(channel);
    const timings: number[] = [];
    for (let run = 0; run < runs; run++) {
      const received = new Promise<void>((resolve) => subscriber.once('message', () => resolve()));
      const started = performance.now();
      await publisher.publish(channel, JSON.stringify({ run, pad: 'x'.repeat(300) }));
      await received;
      timings.push(performance.now() - started);
    }
    return spread(timings);
  } finally {
    publisher.disconnect();
    subscriber.disconnect();
  }
}

/** A collection shaped like `source`: the same secondary indexes, nothing in it yet. */
async function emptyTwin<T extends mongo.Document>(db: mongo.Db, source: string, name: string): Promise<mongo.Collection<T>> {
  const twin = db.collection<T>(`${name}_${randomBytes(3).toString('hex')}`);
  const indexes = (await db.collection(source).listIndexes().toArray()).filter((index) => index.name !== '_id_');
  for (const { key, unique, sparse } of indexes) await twin.createIndex(key, { ...(unique ? { unique } : {}), ...(sparse ? { sparse } : {}) });
  return twin;
}

function memberDoc(i: number): StoredMember {
  return storedMember(`m${i}`, `floor-${i}`, { displayName: `Member ${i}`, email: `member${i}@example.org` });
}

export interface StorePathFloor {
  /** The three commands, one after the other. */
  total: Spread;
  callerRead: Spread;
  memberRead: Spread;
  update: Spread;
}

/**
 * The store's own cost of the commands a block must make before its publish (the
 * round-trip budget: read the caller by its unique externalId, read the member by `_id`,
 * one conditional update that sets the block and pushes history and outbox), issued by a
 * bare driver client on a collection with the members collection's indexes and as many
 * documents. What Warden adds to a block is its latency less this.
 */
export async function storePathFloor(uri: string, documents: number, runs: number): Promise<StorePathFloor> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  const db = client.db();
  const users = await emptyTwin<StoredMember>(db, 'users', 'floor_users');
  try {
    for (let from = 0; from < documents; from += 5_000) {
      await users.insertMany(Array.from({ length: Math.min(5_000, documents - from) }, (_, i) => memberDoc(from + i)));
    }
    const parts = { total: [] as number[], callerRead: [] as number[], memberRead: [] as number[], update: [] as number[] };
    const withoutOutbox = { projection: { outbox: 0 } };
    for (let run = 0; run < runs; run++) {
      const target = `m${run % documents}`;
      const started = performance.now();
      await users.findOne({ externalId: `floor-${(run + 1) % documents}` }, withoutOutbox);
      const callerRead = performance.now();
      const member = await users.findOne({ _id: target }, withoutOutbox);
      const memberRead = performance.now();
      const at = new Date();
      const result = await users.updateOne(
        { _id: target, version: member!.version },
        {
          $set: {
            block: { reason: 'OTHER', duration: 'DAYS_7', userMessage: 'm', adminNote: null, blockedAt: at, blockedBy: 'floor', expiresAt: new Date(at.getTime() + 7 * 86_400_000) },
            restrictions: [],
            standingChangedAt: at,
          },
          $push: {
            blockHistory: { $each: [{ kind: 'BLOCKED', at, by: 'floor', reason: 'OTHER', duration: 'DAYS_7', note: null }] },
            outbox: { $each: [{ id: `e${run}`, type: 'UserBlocked', aggregateId: target, occurredAt: at, actorId: 'floor', correlationId: `c${run}`, payload: { reason: 'OTHER' } }] },
          },
          $inc: { version: 1 },
        },
      );
      const done = performance.now();
      if (result.matchedCount !== 1) throw new Error(`store path floor: the conditional update of ${target} matched nothing`);
      parts.total.push(done - started);
      parts.callerRead.push(callerRead - started);
      parts.memberRead.push(memberRead - callerRead);
      parts.update.push(done - memberRead);
    }
    return { total: spread(parts.total), callerRead: spread(parts.callerRead), memberRead: spread(parts.memberRead), update: spread(parts.update) };
  } finally {
    await users.drop().catch(() => undefined);
    await client.close();
  }
}

/**
 * The store's own throughput of a member mutation's commands, by a bare client with
 * `concurrency` requests in flight for `seconds` each: the listing insert alone (what a
 * cached caller leaves), and the caller read by externalId followed by the insert (what
 * the guard makes). Their ratio is the most the guarded Warden can reach against the
 * cached one while the store is what saturates.
 */
export async function storeMutationThroughput(
  uri: string,
  concurrency: number,
  seconds: number,
): Promise<{ insertOnly: number; readThenInsert: number }> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5_000, maxPoolSize: concurrency });
  const db = client.db();
  const users = await emptyTwin<StoredMember>(db, 'users', 'floor_callers');
  const listings = await emptyTwin<{ _id: string } & Record<string, unknown>>(db, 'item_listings', 'floor_listings');
  try {
    await users.insertOne(memberDoc(0));
    let serial = 0;
    const insert = () =>
      listings.insertOne({
        _id: `l${serial++}-${randomBytes(4).toString('hex')}`,
        sharerId: 'm0',
        title: 'Ladder',
        description: 'A tall ladder',
        category: 'tools',
        location: 'Depot',
        createdAt: new Date(),
      });
    const rate = async (operation: () => Promise<unknown>) => {
      let done = 0;
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < until) {
            await operation();
            done++;
          }
        }),
      );
      return done / seconds;
    };
    const insertOnly = await rate(insert);
    const readThenInsert = await rate(async () => {
      await users.findOne({ externalId: 'floor-0' }, { projection: { outbox: 0 } });
      await insert();
    });
    return { insertOnly, readThenInsert };
  } finally {
    await Promise.all([users.drop(), listings.drop()]).catch(() => undefined);
    await client.close();
  }
}
