import Redis from 'ioredis';
import { testRedisUrl } from '../support/test-env';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, MESSAGE_ADDED_SUBSCRIPTION, RawGraphQLWs, eventually } from '../support/ws-client';

let api: TestWarden;
beforeAll(async () => {
  api = await startTestWarden();
});
afterAll(() => api.stop());

const CYCLES = 1_000;
const CONCURRENCY = 25;

/**
 * One connect/subscribe/close cycle. The ways a socket ends vary with `i`: a clean
 * close after the subscriptions are live, an abrupt terminate, a close sent right behind
 * the subscribe (while the subscription is still being set up: graphql-ws #532), a
 * close before connection_init is answered, and a client `complete` before the close.
 */
async function cycle(i: number, token: string): Promise<void> {
  const client = await RawGraphQLWs.open(api.url);
  client.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  const kind = i % 5;
  if (kind === 3) {
    client.terminate();
    return;
  }
  await client.next((message) => message.type === 'connection_ack');
  client.subscribe('status', ACCOUNT_STATUS_SUBSCRIPTION);
  client.subscribe('messages', MESSAGE_ADDED_SUBSCRIPTION);
  if (kind === 2) {
    client.terminate();
    return;
  }
  if (kind === 4) {
    client.send({ id: 'status', type: 'complete' });
  } else {
    // A ping round trip: the subscribes before it have been read by the server.
    client.send({ type: 'ping' });
    await client.next((message) => message.type === 'pong');
  }
  if (kind === 1) client.terminate();
  else client.close();
  await client.closed;
}

test(`${CYCLES} connect/subscribe/close cycles, some abrupt, leave no session and no listener behind`, async () => {
  const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => signToken({ sub: `churn-${i}` })));
  let next = 0;
  const worker = async () => {
    while (next < CYCLES) {
      const i = next++;
      await cycle(i, tokens[i % tokens.length]!);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const { registry } = api.warden;
  await eventually(() => registry.sessionCount === 0 && registry.listenerCount === 0, 10_000, 'registry to empty');
  expect(registry.sessionCount).toBe(0);
  expect(registry.listenerCount).toBe(0);
  expect(registry.userIds()).toEqual([]);

  // However many subscriptions came and went, the instance holds one Redis subscription
  // per channel.
  const redis = new Redis(testRedisUrl());
  try {
    const { accountStatus, messageSent } = api.warden.channels;
    expect(await redis.pubsub('NUMSUB', accountStatus, messageSent)).toEqual([accountStatus, 1, messageSent, 1]);
  } finally {
    redis.disconnect();
  }
}, 120_000);
