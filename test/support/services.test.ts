import Redis from 'ioredis';
import { mongo } from 'mongoose';
import {
  startDedicatedServices,
  testMongoUri,
  testRedisPrefix,
  testRedisUrl,
  type DedicatedServices,
} from './test-env';

const OUTAGE_TIMEOUT_MS = 1_000;

async function quickFailingRedis(url: string): Promise<Redis> {
  // No offline queue: during an outage commands must fail instead of waiting for a reconnect.
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  await client.connect();
  return client;
}

async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('shared test services', () => {
  test('mongo answers ping and stores documents in a per-file database', async () => {
    const client = new mongo.MongoClient(testMongoUri());
    try {
      const db = client.db();
      expect(db.databaseName).toMatch(/^warden_test_\w+_services_[0-9a-f]{8}$/);
      expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
      const probes = db.collection<{ _id: string; n: number }>('probe');
      await probes.insertOne({ _id: 'a', n: 1 });
      expect(await probes.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 1 });
    } finally {
      await client.close();
    }
  });

  test('redis answers PING and delivers pub/sub messages', async () => {
    const channel = `${testRedisPrefix()}events`;
    const publisher = new Redis(testRedisUrl());
    const subscriber = new Redis(testRedisUrl());
    try {
      expect(await publisher.ping()).toBe('PONG');
      const received = new Promise<string>((resolve) => subscriber.on('message', (_channel, message) => resolve(message)));
      await subscriber.subscribe(channel);
      await publisher.publish(channel, 'hello');
      await expect(received).resolves.toBe('hello');
    } finally {
      publisher.disconnect();
      subscriber.disconnect();
    }
  });

  test('every call gives a new Redis prefix and database', () => {
    expect(testRedisPrefix()).not.toBe(testRedisPrefix());
    expect(testRedisPrefix()).toMatch(/^t\w+:$/);
    expect(testMongoUri()).not.toBe(testMongoUri());
  });
});

describe('dedicated services', () => {
  let services: DedicatedServices;

  beforeAll(async () => {
    services = await startDedicatedServices();
  });

  afterAll(async () => {
    await services?.dispose();
  });

  test('mongo fails while stopped, then serves the same data after a restart', async () => {
    const client = new mongo.MongoClient(services.mongo.uri, { serverSelectionTimeoutMS: OUTAGE_TIMEOUT_MS });
    try {
      const items = client.db('fault').collection<{ _id: string }>('items');
      await items.insertOne({ _id: 'kept' });

      await services.mongo.stop();
      await expect(items.findOne({ _id: 'kept' })).rejects.toThrow();

      await services.mongo.start();
      // The same client recovers on its own: that is what the app's connection will do.
      expect(await eventually(() => items.findOne({ _id: 'kept' }))).toEqual({ _id: 'kept' });
    } finally {
      await client.close();
    }
  });

  test('redis fails while stopped, then answers again on the same url', async () => {
    const client = await quickFailingRedis(services.redis.url);
    try {
      expect(await client.ping()).toBe('PONG');

      await services.redis.stop();
      await expect(client.ping()).rejects.toThrow();

      await services.redis.start();
      expect(await eventually(() => client.ping())).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });
});
