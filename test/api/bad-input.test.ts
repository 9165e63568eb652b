import { errorCode } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import {
  BLOCK_USER,
  CREATE_LISTING,
  LISTING_INPUT,
  REQUEST_RESERVATION,
  SEND_MESSAGE,
  UNBLOCK_USER,
  blockInput,
  futurePeriod,
} from './operations';

let api: TestWarden;
let memberId: string;
let otherId: string;
let ownListingId: string;
let othersListingId: string;
const UNKNOWN_ID = 'bbbbbbbbbbbbbbbbbbbbbbbb';

beforeAll(async () => {
  api = await startTestWarden();
  memberId = await api.idOf('member');
  otherId = await api.idOf('other');
  await api.idOf('admin', true);
  ownListingId = (await api.as('member')(CREATE_LISTING, { input: LISTING_INPUT })).data!.createItemListing.id;
  othersListingId = (await api.as('other')(CREATE_LISTING, { input: LISTING_INPUT })).data!.createItemListing.id;
});
afterAll(() => api.stop());

const hour = 3_600_000;
const admin = () => api.as('admin', true);
const member = () => api.as('member');

type Case = [string, () => Promise<Awaited<ReturnType<ReturnType<TestWarden['as']>>>>, string];

const cases: Case[] = [
  ['block: malformed user id', () => admin()(BLOCK_USER, { input: blockInput('not-an-id') }), 'BAD_USER_INPUT'],
  ['block: empty userMessage', () => admin()(BLOCK_USER, { input: blockInput(memberId, { userMessage: '' }) }), 'BAD_USER_INPUT'],
  ['block: blank userMessage', () => admin()(BLOCK_USER, { input: blockInput(memberId, { userMessage: ' \n\t ' }) }), 'BAD_USER_INPUT'],
  ['block: userMessage over 1000', () => admin()(BLOCK_USER, { input: blockInput(memberId, { userMessage: 'x'.repeat(1001) }) }), 'BAD_USER_INPUT'],
  ['block: adminNote over 4000', () => admin()(BLOCK_USER, { input: blockInput(memberId, { adminNote: 'x'.repeat(4001) }) }), 'BAD_USER_INPUT'],
  ['block: NUL in userMessage', () => admin()(BLOCK_USER, { input: blockInput(memberId, { userMessage: 'a\u0000b' }) }), 'BAD_USER_INPUT'],
  ['block: control character in adminNote', () => admin()(BLOCK_USER, { input: blockInput(memberId, { adminNote: 'a\u0007b' }) }), 'BAD_USER_INPUT'],
  ['block: unknown reason', () => admin()(BLOCK_USER, { input: blockInput(memberId, { reason: 'BEING_RUDE' }) }), 'BAD_USER_INPUT'],
  ['block: unknown duration', () => admin()(BLOCK_USER, { input: blockInput(memberId, { duration: 'DAYS_1' }) }), 'BAD_USER_INPUT'],
  ['block: missing userMessage', () => admin()(BLOCK_USER, { input: { userId: memberId, reason: 'OTHER', duration: 'DAYS_7' } }), 'BAD_USER_INPUT'],
  ['unblock: empty reason', () => admin()(UNBLOCK_USER, { input: { userId: memberId, reason: '' } }), 'BAD_USER_INPUT'],
  ['unblock: malformed id', () => admin()(UNBLOCK_USER, { input: { userId: '123', reason: 'ok' } }), 'BAD_USER_INPUT'],
  ['user(id): malformed id', () => admin()('{ user(id: "zzz") { id } }'), 'BAD_USER_INPUT'],
  ['listing: empty title', () => member()(CREATE_LISTING, { input: { ...LISTING_INPUT, title: '  ' } }), 'BAD_USER_INPUT'],
  ['listing: title too long', () => member()(CREATE_LISTING, { input: { ...LISTING_INPUT, title: 't'.repeat(201) } }), 'BAD_USER_INPUT'],
  ['listing: NUL in description', () => member()(CREATE_LISTING, { input: { ...LISTING_INPUT, description: '\u0000' } }), 'BAD_USER_INPUT'],
  ['listing: missing location', () => member()(CREATE_LISTING, { input: { title: 'a', description: 'b', category: 'c' } }), 'BAD_USER_INPUT'],
  ['reservation: own listing', () => member()(REQUEST_RESERVATION, { input: { listingId: ownListingId, ...futurePeriod() } }), 'BAD_USER_INPUT'],
  ['reservation: reversed period', () => {
    const { start, end } = futurePeriod();
    return member()(REQUEST_RESERVATION, { input: { listingId: othersListingId, start: end, end: start } });
  }, 'BAD_USER_INPUT'],
  ['reservation: empty period', () => {
    const { start } = futurePeriod();
    return member()(REQUEST_RESERVATION, { input: { listingId: othersListingId, start, end: start } });
  }, 'BAD_USER_INPUT'],
  ['reservation: starts in the past', () => member()(REQUEST_RESERVATION, { input: { listingId: othersListingId, ...futurePeriod(-hour, 2 * hour) } }), 'BAD_USER_INPUT'],
  ['reservation: date without zone', () => member()(REQUEST_RESERVATION, { input: { listingId: othersListingId, start: '2030-01-01T10:00', end: '2030-01-02T10:00' } }), 'BAD_USER_INPUT'],
  ['reservation: not a date', () => member()(REQUEST_RESERVATION, { input: { listingId: othersListingId, start: 'tomorrow', end: 'later' } }), 'BAD_USER_INPUT'],
  ['reservation: impossible date', () => member()(REQUEST_RESERVATION, { input: { listingId: othersListingId, start: '2030-02-31T10:00:00Z', end: '2030-03-31T10:00:00Z' } }), 'BAD_USER_INPUT'],
  ['reservation: malformed listing id', () => member()(REQUEST_RESERVATION, { input: { listingId: 'x', ...futurePeriod() } }), 'BAD_USER_INPUT'],
  ['reservation: unknown listing', () => member()(REQUEST_RESERVATION, { input: { listingId: UNKNOWN_ID, ...futurePeriod() } }), 'NOT_FOUND'],
  ['message: to oneself', () => member()(SEND_MESSAGE, { input: { recipientId: memberId, text: 'hi me' } }), 'BAD_USER_INPUT'],
  ['message: to an unknown member', () => member()(SEND_MESSAGE, { input: { recipientId: UNKNOWN_ID, text: 'hi' } }), 'NOT_FOUND'],
  ['message: empty text', () => member()(SEND_MESSAGE, { input: { recipientId: otherId, text: '' } }), 'BAD_USER_INPUT'],
  ['message: text over 2000', () => member()(SEND_MESSAGE, { input: { recipientId: otherId, text: 'y'.repeat(2001) } }), 'BAD_USER_INPUT'],
  ['message: malformed recipient', () => member()(SEND_MESSAGE, { input: { recipientId: '', text: 'hi' } }), 'BAD_USER_INPUT'],
  ['page: first 0', () => member()('{ myListings(first: 0) { nodes { id } } }'), 'BAD_USER_INPUT'],
  ['page: first too large', () => member()('{ myListings(first: 100000) { nodes { id } } }'), 'BAD_USER_INPUT'],
  ['page: malformed cursor', () => member()('{ myListings(after: "garbage!") { nodes { id } } }'), 'BAD_USER_INPUT'],
  ['conversation: malformed id', () => member()('{ conversation(id: "nope") { id } }'), 'BAD_USER_INPUT'],
  ['conversation: someone else\'s', () => member()(`{ conversation(id: "${UNKNOWN_ID}") { id } }`), 'NOT_FOUND'],
  ['document: syntax error', () => member()('{ me { id '), 'BAD_USER_INPUT'],
  ['document: unknown field', () => member()('{ me { password } }'), 'BAD_USER_INPUT'],
  ['variables: wrong type', () => member()('query($n: Int) { myListings(first: $n) { nodes { id } } }', { n: 'ten' }), 'BAD_USER_INPUT'],
];

test.each(cases)('%s → %s', async (_name, run, code) => {
  const response = await run();
  expect(errorCode(response)).toBe(code);
  expect(response.errors![0]!.message).not.toMatch(/at .*\.ts:\d+|Mongo|mongoose/);
});

test('refused inputs change nothing', async () => {
  const seen = await admin()(`{ user(id: "${memberId}") { isBlocked blockHistory { kind } } }`);
  expect(seen.data?.user).toEqual({ isBlocked: false, blockHistory: [] });
  const listings = await member()('{ myListings { nodes { id } } }');
  expect(listings.data?.myListings.nodes).toHaveLength(1);
});

describe('malformed HTTP bodies get a GraphQL error with a code', () => {
  const send = async (body: string) => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signToken({ sub: 'member' })}` },
      body,
    });
    return { status: response.status, body: (await response.json()) as { errors: { extensions: { code: string } }[] } };
  };

  test('broken JSON', async () => {
    const { status, body } = await send('{"query": ');
    expect(status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  test('a body over the size limit', async () => {
    const { status, body } = await send(JSON.stringify({ query: `{ me { id } } #${'x'.repeat(200_000)}` }));
    expect(status).toBe(413);
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  test('a batched request (batching is off)', async () => {
    const { status, body } = await send(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]));
    expect(status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });
});

test('requests a browser could send cross-site without a preflight are refused (CSRF prevention)', async () => {
  const authorization = `Bearer ${await signToken({ sub: 'member' })}`;
  const simplePost = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', authorization },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  expect(simplePost.status).toBe(400);
  const simpleGet = await fetch(`${api.url}?query=${encodeURIComponent('{ me { id } }')}`, { headers: { authorization } });
  expect(simpleGet.status).toBe(400);
  const preflighted = await fetch(`${api.url}?query=${encodeURIComponent('{ me { id } }')}`, {
    headers: { authorization, 'apollo-require-preflight': 'true' },
  });
  expect(preflighted.status).toBe(200);
});
