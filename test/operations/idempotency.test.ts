import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import { CREATE_LISTING, LISTING_INPUT, REQUEST_RESERVATION, SEND_MESSAGE, BLOCK_USER, blockInput, futurePeriod } from '../api/operations';
import { closeMongo, connectMongo, type Connection } from '../../infrastructure/mongo/connection';
import { createLogger } from '../../infrastructure/logging/logger';
import { IDEMPOTENCY_KEY_RETENTION_MS } from '../../infrastructure/config/limits';
import { errorCode } from '../support/graphql-http';
import { testMongoUri } from '../support/test-env';
import { startTestWarden, type TestWarden } from '../support/test-warden';

// Two instances of one deployment: a retry may land on either.
let a: TestWarden;
let b: TestWarden;
let db: Connection;
let counter = 0;

beforeAll(async () => {
  const mongoUri = testMongoUri();
  a = await startTestWarden({ mongoUri, env: { INSTANCE_ID: 'idem-a' } });
  b = await startTestWarden({ mongoUri, env: { INSTANCE_ID: 'idem-b' } });
  db = await connectMongo(mongoUri, createLogger('test'));
});
afterAll(async () => {
  await closeMongo(db);
  await Promise.all([a.stop(), b.stop()]);
});

const collection = (name: string): mongo.Collection => db.db!.collection(name);
const sub = () => `idem-${++counter}`;
const APPEAL = `mutation Appeal($message: String!, $key: String) { appealBlock(message: $message, idempotencyKey: $key) { id } }`;
const MY_CONVERSATIONS = '{ myConversations { nodes { id lastMessageAt } } }';

test('createItemListing: a retry on another instance returns the first listing and writes nothing', async () => {
  const member = sub();
  const key = randomUUID();
  const first = await a.as(member)(CREATE_LISTING, { input: { ...LISTING_INPUT, idempotencyKey: key } });
  expect(first.errors).toBeUndefined();
  const retry = await b.as(member)(CREATE_LISTING, { input: { ...LISTING_INPUT, idempotencyKey: key } });
  expect(retry.data?.createItemListing).toEqual(first.data?.createItemListing);
  const sharerId = await a.idOf(member);
  expect(await collection('item_listings').countDocuments({ sharerId })).toBe(1);

  // Without a key every call writes; another caller's same key is theirs alone.
  await a.as(member)(CREATE_LISTING, { input: LISTING_INPUT });
  const other = await a.as(sub())(CREATE_LISTING, { input: { ...LISTING_INPUT, idempotencyKey: key } });
  expect(other.data?.createItemListing.id).not.toBe(first.data?.createItemListing.id);
  expect(await collection('item_listings').countDocuments({ sharerId })).toBe(2);
});

test('a key reused with another input, or malformed, is BAD_USER_INPUT', async () => {
  const member = sub();
  const key = randomUUID();
  await a.as(member)(CREATE_LISTING, { input: { ...LISTING_INPUT, idempotencyKey: key } });
  const reused = await a.as(member)(CREATE_LISTING, { input: { ...LISTING_INPUT, title: 'Other', idempotencyKey: key } });
  expect(errorCode(reused)).toBe('BAD_USER_INPUT');
  expect(reused.errors![0]!.extensions).toMatchObject({ reasonCode: 'IDEMPOTENCY.KEY_REUSED', field: 'idempotencyKey' });
  for (const bad of ['', 'has space', 'x'.repeat(256)]) {
    const refused = await a.as(member)(CREATE_LISTING, { input: { ...LISTING_INPUT, idempotencyKey: bad } });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reasonCode: 'IDEMPOTENCY.BAD_KEY' });
  }
});

test('concurrent requests with one key store one listing', async () => {
  const member = sub();
  const key = randomUUID();
  const sharerId = await a.idOf(member);
  const responses = await Promise.all(
    Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).as(member)(CREATE_LISTING, { input: { ...LISTING_INPUT, idempotencyKey: key } })),
  );
  const ids = new Set(responses.flatMap((response) => (response.data?.createItemListing ? [response.data.createItemListing.id] : [])));
  expect(ids.size).toBe(1);
  // The others were either answered with that listing or told the first is in progress.
  for (const response of responses) {
    if (response.errors) expect(response.errors[0]!.extensions.reasonCode).toBe('IDEMPOTENCY.IN_PROGRESS');
  }
  expect(await collection('item_listings').countDocuments({ sharerId })).toBe(1);
});

test('createReservationRequest and appealBlock return the first result on a retry', async () => {
  const owner = sub();
  const listing = await a.as(owner)(CREATE_LISTING, { input: LISTING_INPUT });
  const reserver = sub();
  const key = randomUUID();
  const input = { listingId: listing.data!.createItemListing.id, ...futurePeriod(), idempotencyKey: key };
  const first = await a.as(reserver)(REQUEST_RESERVATION, { input });
  expect(first.errors).toBeUndefined();
  const retry = await b.as(reserver)(REQUEST_RESERVATION, { input });
  expect(retry.data).toEqual(first.data);
  expect(await collection('reservation_requests').countDocuments({ reserverId: await a.idOf(reserver) })).toBe(1);

  const blocked = sub();
  const blockedId = await a.idOf(blocked);
  await a.as('idem-admin', true)(BLOCK_USER, { input: blockInput(blockedId, { duration: 'DAYS_30' }) });
  const appealKey = randomUUID();
  const filed = await a.as(blocked)(APPEAL, { message: 'Please look again.', key: appealKey });
  expect(filed.errors).toBeUndefined();
  const again = await b.as(blocked)(APPEAL, { message: 'Please look again.', key: appealKey });
  expect(again.data?.appealBlock.id).toBe(filed.data?.appealBlock.id);
  // Without the key the second appeal is refused as a second appeal of the same block.
  expect(errorCode(await b.as(blocked)(APPEAL, { message: 'Please look again.' }))).toBe('BAD_USER_INPUT');
});

test('sendMessage: a fault between the message and conversation writes, then a retry, stores one message', async () => {
  const sender = sub();
  const recipient = sub();
  const [senderId, recipientId] = [await a.idOf(sender), await a.idOf(recipient)];
  const key = randomUUID();
  const input = { recipientId, text: 'Is the drill still free on Saturday?', idempotencyKey: key };

  // The fault: a unique index on participant ids and a conversation already naming the
  // sender make the conversation upsert fail, after the message is stored.
  const conversations = collection('conversations');
  await conversations.createIndex({ participantIds: 1 }, { unique: true, name: 'fault_injection' });
  await conversations.insertOne({ _id: `fault-${senderId}` as never, participantIds: [senderId, 'fault'] });
  let failed;
  try {
    failed = await a.as(sender)(SEND_MESSAGE, { input });
  } finally {
    await conversations.dropIndex('fault_injection');
    await conversations.deleteOne({ _id: `fault-${senderId}` as never });
  }
  expect(errorCode(failed)).toBe('INTERNAL_SERVER_ERROR');
  expect(await collection('messages').countDocuments({ senderId })).toBe(1);
  expect((await a.as(sender)(MY_CONVERSATIONS)).data?.myConversations.nodes).toEqual([]);

  // The client retries, here on the other instance: the stored message is the answer,
  // no second one is written, and the conversation it lacked now exists.
  const retry = await b.as(sender)(SEND_MESSAGE, { input });
  expect(retry.errors).toBeUndefined();
  const stored = await collection('messages').findOne({ senderId });
  expect(retry.data?.sendMessage.id).toBe(stored!._id);
  expect(await collection('messages').countDocuments({ senderId })).toBe(1);
  expect((await a.as(sender)(MY_CONVERSATIONS)).data?.myConversations.nodes).toHaveLength(1);

  // A further retry writes nothing and answers the same.
  const third = await a.as(sender)(SEND_MESSAGE, { input });
  expect(third.data).toEqual(retry.data);
  expect(await collection('messages').countDocuments({ senderId })).toBe(1);
  // Without a key, the same message twice is two messages.
  await a.as(sender)(SEND_MESSAGE, { input: { recipientId, text: input.text } });
  expect(await collection('messages').countDocuments({ senderId })).toBe(2);
});

test('keys are kept at least 24 hours, by caller and key, under a unique index and a TTL', async () => {
  const member = sub();
  const key = randomUUID();
  const before = Date.now();
  await a.as(member)(CREATE_LISTING, { input: { ...LISTING_INPUT, idempotencyKey: key } });
  const record = await collection('idempotency_keys').findOne({ callerId: await a.idOf(member), key });
  expect(record).toMatchObject({ state: 'done', operation: 'createItemListing' });
  expect((record!.expireAt as Date).getTime()).toBeGreaterThanOrEqual(before + IDEMPOTENCY_KEY_RETENTION_MS);
  const indexes = await collection('idempotency_keys').indexes();
  expect(indexes).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ key: { callerId: 1, key: 1 }, unique: true }),
      expect.objectContaining({ key: { expireAt: 1 }, expireAfterSeconds: 0 }),
    ]),
  );
});
