import { RedisPubSub } from 'graphql-redis-subscriptions';
import type Redis from 'ioredis';
import type { Logger } from '../logging/logger';
import { REDIS_CONNECT_TIMEOUT_MS } from '../config/limits';
import { createRedisClient, whenReady } from './redis-clients';

export interface RedisFanout {
  pubsub: RedisPubSub;
  publisher: Redis;
  subscriber: Redis;
  /** Waits for both connections, up to REDIS_CONNECT_TIMEOUT_MS; false if Redis is down. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Cross-instance pub/sub: one connection publishes, one listens (Redis requires two). */
export function createRedisFanout(url: string, log: Logger): RedisFanout {
  const publisher = createRedisClient(url, 'publisher', log);
  const subscriber = createRedisClient(url, 'subscriber', log);
  const pubsub = new RedisPubSub({ publisher, subscriber });
  return {
    pubsub,
    publisher,
    subscriber,
    async ready() {
      const [pub, sub] = await Promise.all([
        whenReady(publisher, REDIS_CONNECT_TIMEOUT_MS),
        whenReady(subscriber, REDIS_CONNECT_TIMEOUT_MS),
      ]);
      return pub && sub;
    },
    async close() {
      await pubsub.close().catch(() => undefined);
    },
  };
}
