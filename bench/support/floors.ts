import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { mongo } from 'mongoose';

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
