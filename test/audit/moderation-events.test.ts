import Redis from 'ioredis';
import { BLOCK_USER, CREATE_LISTING, LISTING_INPUT, blockInput } from '../api/operations';
import { testRedisUrl } from '../support/test-env';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs, eventually } from '../support/ws-client';
import { MODERATION_EVENTS } from './audit-support';

/**
 * moderationEvents streams every stored entry to admins on every instance: two Wardens
 * share this file's database and Redis prefix, like two instances of one deployment.
 */

let first: TestWarden;
let second: TestWarden;
let adminId: string;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  first = await startTestWarden({ env: { INSTANCE_ID: 'instance-1' } });
  second = await startTestWarden({ env: { INSTANCE_ID: 'instance-2' } });
  adminId = await first.idOf('admin', true);
});
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(async () => {
  await first.stop();
  await second.stop();
});

async function subscribeAdmin(api: TestWarden, id: string, types?: string[]): Promise<RawGraphQLWs> {
  const { client, acked } = await RawGraphQLWs.connect(api.url, await signToken({ sub: 'admin', admin: true }));
  open.push(client);
  expect(acked).toBe(true);
  const before = api.warden.registry.listenerCount;
  client.subscribe(id, MODERATION_EVENTS, types ? { types } : {});
  await eventually(() => api.warden.registry.listenerCount > before, 5_000, 'moderation stream registered');
  return client;
}

const entriesOf = (client: RawGraphQLWs, id: string) =>
  client.messages.filter((message) => message.id === id && message.type === 'next').map((message) => message.payload.data.moderationEvents);

test('an admin on the second instance receives the entry recorded on the first', async () => {
  const client = await subscribeAdmin(second, 'all');
  const member = await first.idOf('member-1');
  const blocked = await first.as('admin', true)(BLOCK_USER, { input: blockInput(member) });
  expect(blocked.errors).toBeUndefined();

  const event = await client.next(
    (message) => message.id === 'all' && message.payload?.data?.moderationEvents?.targetId === member,
  );
  expect(event.payload.data.moderationEvents).toMatchObject({
    type: 'USER_BLOCKED',
    actorId: adminId,
    actor: { id: adminId },
    target: { id: member },
    instance: 'instance-1',
    reason: 'LATE_RETURN',
    details: { duration: 'DAYS_7', adminNote: 'Third late return this month' },
  });
});

test('types narrows the stream; each entry arrives once', async () => {
  const client = await subscribeAdmin(first, 'refusals', ['ACTION_REFUSED']);
  const member = await first.idOf('member-2');
  await second.as('admin', true)(BLOCK_USER, { input: blockInput(member) });
  await second.as('member-2')(CREATE_LISTING, { input: LISTING_INPUT });

  const refused = await client.next((message) => message.id === 'refusals' && message.type === 'next');
  expect(refused.payload.data.moderationEvents).toMatchObject({
    type: 'ACTION_REFUSED',
    actorId: member,
    instance: 'instance-2',
    details: { action: 'CREATE_LISTING' },
  });
  // Let anything else arrive, then check nothing but the refusal did.
  await second.warden.flushAudit();
  client.send({ type: 'ping' });
  await client.next((message) => message.type === 'pong');
  expect(entriesOf(client, 'refusals').map((entry) => entry.type)).toEqual(['ACTION_REFUSED']);
});

test('streams end with their socket: no listener is left, one pub/sub subscription per instance', async () => {
  const clients: RawGraphQLWs[] = [];
  for (const i of [0, 1, 2]) clients.push(await subscribeAdmin(first, `s${i}`));
  expect(first.warden.registry.moderationWatchers()).toHaveLength(3);
  clients[0]!.send({ id: 's0', type: 'complete' });
  clients[1]!.terminate();
  clients[2]!.close();
  await eventually(() => first.warden.registry.listenerCount === 0, 5_000, 'listeners gone');
  expect(first.warden.registry.moderationWatchers()).toEqual([]);

  const redis = new Redis(testRedisUrl());
  try {
    const channel = first.warden.channels.moderationEvents;
    expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 2]);
  } finally {
    redis.disconnect();
  }
});
