import { BLOCK_USER, UNBLOCK_USER, blockInput } from '../api/operations';
import { connectMongo, closeMongo, type Connection } from '../../infrastructure/mongo/connection';
import { createLogger } from '../../infrastructure/logging/logger';
import { MongoWebhookQueue } from '../../infrastructure/webhooks/mongo-webhook-queue';
import { verifySignature } from '../../infrastructure/webhooks/webhook-signature';
import { errorCode } from '../support/graphql-http';
import { testMongoUri } from '../support/test-env';
import { eventually } from '../support/ws-client';
import { WebhookReceiver, type ReceivedWebhook } from './webhook-receiver';
import { startWebhookWarden, type WebhookWarden } from './webhook-warden';

const SECRET = 'whsec-test-0123456789';
const APPEAL = `mutation Appeal($message: String!) { appealBlock(message: $message) { id } }`;
const DECIDE = `mutation Decide($appealId: ID!, $approve: Boolean!, $note: String!) {
  decideAppeal(appealId: $appealId, approve: $approve, note: $note) { id state }
}`;
const DEAD_LETTERS = `{ webhookDeadLetters(first: 10) { nodes { id type body attempts lastError deadAt } pageInfo { hasNextPage } } }`;
const REPLAY = `mutation Replay($eventId: ID!) { replayWebhook(eventId: $eventId) { id type attempts } }`;

let receiver: WebhookReceiver;
let api: WebhookWarden;
let mongoUri: string;
let counter = 0;
let other: Connection;
let queue: MongoWebhookQueue;

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  mongoUri = testMongoUri();
  api = await startWebhookWarden(
    { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_MAX_ATTEMPTS: '6' },
    // The contract's 10 s timeout, shortened so the test waits for one hung try, not ten seconds.
    { mongoUri, webhookTiming: { timeoutMs: 2_000, leaseMs: 5_000 } },
  );
  // The queue as another instance sees it.
  other = await connectMongo(mongoUri, createLogger('test'));
  queue = new MongoWebhookQueue(other);
});
afterAll(async () => {
  await closeMongo(other);
  await api.warden.stop();
  await receiver.stop();
});

const admin = () => api.as('hook-admin', true);

function expectSigned(request: ReceivedWebhook): void {
  expect(request.headers['content-type']).toBe('application/json');
  const header = request.headers['warden-signature'];
  expect(typeof header).toBe('string');
  expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  expect(verifySignature(SECRET, request.body, header as string, Math.floor(Date.now() / 1000))).toBe(true);
  expect(verifySignature('another-secret', request.body, header as string, Math.floor(Date.now() / 1000))).toBe(false);
  expect(verifySignature(SECRET, `${request.body} `, header as string, Math.floor(Date.now() / 1000))).toBe(false);
}

async function member() {
  const sub = `hook-member-${++counter}`;
  return { sub, id: await api.idOf(sub) };
}

test('a block is POSTed signed, retried after a 500 and a hung try, then acknowledged once', async () => {
  const target = await member();
  let blockedEventId: string | null = null;
  receiver.behave = (event, tryNumber) => {
    if (event.type !== 'USER_BLOCKED' || event.data.userId !== target.id) return 200;
    blockedEventId = event.id;
    return tryNumber === 1 ? 500 : tryNumber === 2 ? 'hang' : 200;
  };
  const blocked = await admin()(BLOCK_USER, { input: blockInput(target.id, { adminNote: 'internal only' }) });
  expect(blocked.errors).toBeUndefined();

  await eventually(() => blockedEventId !== null && receiver.of(blockedEventId).length === 3, 30_000, 'three tries');
  const tries = receiver.of(blockedEventId!);
  // The same event id and the same bytes every time: receivers deduplicate by id.
  expect(new Set(tries.map((request) => request.body)).size).toBe(1);
  tries.forEach(expectSigned);
  const event = tries[0]!.json;
  expect(event).toMatchObject({
    id: blockedEventId,
    type: 'USER_BLOCKED',
    data: { userId: target.id, reason: 'LATE_RETURN', duration: 'DAYS_7' },
  });
  expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
  expect(tries[0]!.body).not.toContain('internal only');

  await eventually(async () => (await queue.stateOf(blockedEventId!))?.state === 'delivered', 30_000, 'delivered');
  expect(await queue.stateOf(blockedEventId!)).toMatchObject({ state: 'delivered', attempts: 3 });
  // Acknowledged: no fourth try.
  await api.warden.webhooks.drain();
  expect(receiver.of(blockedEventId!)).toHaveLength(3);
});

test('unblock, appeal filed and appeal decided are sent too; refusals are not', async () => {
  receiver.behave = () => 200;
  const target = await member();
  await admin()(BLOCK_USER, { input: blockInput(target.id, { duration: 'DAYS_90' }) });
  const appeal = await api.as(target.sub)(APPEAL, { message: 'It was returned on time.' });
  expect(appeal.errors).toBeUndefined();
  const decided = await admin()(DECIDE, { appealId: appeal.data!.appealBlock.id, approve: false, note: 'Photo shows damage.' });
  expect(decided.errors).toBeUndefined();
  await admin()(UNBLOCK_USER, { input: { userId: target.id, reason: 'Settled with the sharer' } });
  // A member calling an admin operation: audited as a refusal, not a moderation event.
  expect(errorCode(await api.as(target.sub)(BLOCK_USER, { input: blockInput(target.id) }))).toBe('FORBIDDEN');

  // One per event: a try that timed out on a busy machine is retried under the same id.
  const forTarget = () => [
    ...new Map(
      receiver.received.filter((request) => request.json.data.userId === target.id).map((request) => [request.json.id, request]),
    ).values(),
  ];
  await eventually(() => forTarget().length >= 4, 30_000, 'four events');
  await api.warden.flushAudit();
  await api.warden.webhooks.drain();
  const types = forTarget().map((request) => request.json.type);
  expect(types.sort()).toEqual(['APPEAL_DECIDED', 'APPEAL_FILED', 'USER_BLOCKED', 'USER_UNBLOCKED']);
  forTarget().forEach(expectSigned);
  const decision = forTarget().find((request) => request.json.type === 'APPEAL_DECIDED')!.json;
  expect(decision.data).toMatchObject({ appealId: appeal.data!.appealBlock.id, outcome: 'REJECTED' });
});

test('a delivery whose instance died mid-try is taken again once its lease lapses', async () => {
  receiver.behave = () => 200;
  const eventId = '0000000a' + 'c0ffee'.repeat(2) + '0000cafe';
  const event = { id: eventId, type: 'USER_BLOCKED', occurredAt: new Date().toISOString(), data: { userId: 'lease-test' } };
  // Queued a minute ahead so the live dispatcher cannot take it first; then claimed by a
  // "crashed" instance whose lease ends a second from now and which never settles.
  const later = new Date(Date.now() + 60_000);
  await queue.enqueue([event], later);
  const claimed = await queue.claimNext(later, -59_000);
  expect(claimed?.id).toBe(eventId);
  await api.warden.webhooks.drain();
  expect(receiver.of(eventId)).toHaveLength(0);

  await eventually(async () => (await queue.stateOf(eventId))?.state === 'delivered', 30_000, 'redelivered');
  expect(receiver.of(eventId)).toHaveLength(1);
  expect(receiver.of(eventId)[0]!.json).toEqual(event);
  expect(await queue.stateOf(eventId)).toMatchObject({ attempts: 2 });
  // The crashed instance's late answer changes nothing: its claim is no longer the current one.
  expect(await queue.markFailed(claimed!, 'late', null, new Date())).toBe(false);
  expect(await queue.stateOf(eventId)).toMatchObject({ state: 'delivered' });
});

test('after the last try a delivery is dead-lettered; staff read and replay it, members may not', async () => {
  const target = await member();
  receiver.behave = (event) => (event.data.userId === target.id ? 503 : 200);
  await admin()(BLOCK_USER, { input: blockInput(target.id) });
  let dead: { id: string; type: string; body: string; attempts: number; lastError: string } | undefined;
  await eventually(
    async () => {
      const list = await admin()(DEAD_LETTERS);
      dead = list.data?.webhookDeadLetters.nodes.find((node: { body: string }) => node.body.includes(target.id));
      return dead !== undefined;
    },
    30_000,
    'a dead letter',
  );
  expect(dead).toMatchObject({ type: 'USER_BLOCKED', attempts: 6, lastError: 'HTTP 503' });
  expect(receiver.of(dead!.id)).toHaveLength(6);

  expect(errorCode(await api.as(target.sub)(DEAD_LETTERS))).toBe('FORBIDDEN');
  expect(errorCode(await api.as(target.sub)(REPLAY, { eventId: dead!.id }))).toBe('FORBIDDEN');
  expect(errorCode(await admin()(REPLAY, { eventId: '0123456789abcdef01234567' }))).toBe('NOT_FOUND');

  receiver.behave = () => 200;
  const replayed = await admin()(REPLAY, { eventId: dead!.id });
  expect(replayed.data?.replayWebhook).toMatchObject({ id: dead!.id, type: 'USER_BLOCKED' });
  await eventually(() => receiver.of(dead!.id).length === 7, 30_000, 'the replayed try');
  expect(receiver.of(dead!.id)[6]!.body).toBe(dead!.body);
  const after = await admin()(DEAD_LETTERS);
  expect(after.data?.webhookDeadLetters.nodes.map((node: { id: string }) => node.id)).not.toContain(dead!.id);
});
