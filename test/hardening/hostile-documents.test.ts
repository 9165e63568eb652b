import fc from 'fast-check';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { RawGraphQLWs } from '../support/ws-client';

/** The contract's codes (README): nothing else may reach a client. */
const CONTRACT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'ACCOUNT_BLOCKED',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'RATE_LIMITED',
  'TIMEOUT',
  'BAD_REQUEST',
]);
const HTTP_RUNS = 1_200;
const WS_RUNS = 1_000;

const VALID = [
  '{ me { id displayName accountStatus { state } } }',
  'query Q($first: Int, $after: String) { myListings(first: $first, after: $after) { nodes { id sharer { id } } pageInfo { endCursor } } }',
  'mutation M($input: CreateItemListingInput!) { createItemListing(input: $input) { id } }',
  'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
  'mutation R($input: CreateReservationRequestInput!) { createReservationRequest(input: $input) { id } }',
  'query U($id: ID!) { user(id: $id) { id blockHistory { kind } } }',
  'mutation B($input: BlockUserInput!) { blockUser(input: $input) { id } }',
  'query C($id: ID!) { conversation(id: $id) { messages(first: 5) { nodes { text } } } }',
  'subscription { accountStatus { state } }',
];
const FRAGMENTS = ['{', '}', '(', ')', '$', '...', '@include(if: true)', '@skip(if: $x)', 'fragment F on PersonalUser { id ...F }',
  '...F', 'query', 'mutation', 'subscription', '__schema { types { name } }', '__typename', ':', '!', '"', '"""', '\\u0000', '#',
  'a: me { id }', '[', ']', '=', 'null', '1e400', '-0', '\u202e', '\ud800', 'on', '|', '&'];

/** Valid documents broken by cuts, insertions, repetitions and deep nesting. */
const hostileDocument: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat({ max: 40 }), fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 }))
    .map(([doc, at, cut, inserts]) => {
      const i = at % (doc.length + 1);
      return doc.slice(0, i) + inserts.join(' ') + doc.slice(i + cut);
    }),
  fc.integer({ min: 2, max: 400 }).map((depth) => `{ me ${'{ blockHistory { by '.repeat(depth)}{ id }${' } }'.repeat(depth)} }`),
  fc.integer({ min: 1, max: 300 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`),
  fc.integer({ min: 1, max: 200 }).map((n) => `{ me { id ${'@include(if: true) '.repeat(n)} } }`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `{ me { ${'id '.repeat(n)}} }`),
  fc.constant('fragment A on PersonalUser { ...B } fragment B on PersonalUser { ...A } { me { ...A } }'),
  fc.anything({ maxDepth: 2 }),
);

/** Ill-formed Unicode and bidi controls (issue 12), which every text input refuses. */
const HOSTILE_CHARACTERS = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
/** Ordinary text with one hostile character somewhere, trimming cannot take it away. */
const textWithHostileCharacter: fc.Arbitrary<string> = fc
  .tuple(fc.string({ minLength: 1, maxLength: 40 }), fc.nat(), fc.constantFrom(...HOSTILE_CHARACTERS))
  .map(([text, at, hostile]) => {
    const i = at % (text.length + 1);
    return `x${text.slice(0, i)}${hostile}${text.slice(i)}x`;
  });

const hostileVariables: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.anything({ maxDepth: 3 }),
  fc.record({
    input: fc.oneof(fc.anything({ maxDepth: 2 }), fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 1 }))),
    id: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null)),
    first: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 })),
    after: fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 40 })),
  }),
  fc.record({
    input: fc.record({
      title: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), textWithHostileCharacter),
      description: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('x'.repeat(6_000))),
      category: fc.string({ maxLength: 5 }),
      location: fc.string({ maxLength: 5 }),
      recipientId: fc.string({ maxLength: 30 }),
      text: fc.oneof(fc.string({ unit: 'binary', maxLength: 50 }), textWithHostileCharacter),
      listingId: fc.stringMatching(/^[0-9a-f]{24}$/),
      start: fc.oneof(fc.date({ noInvalidDate: false }).map(String), fc.string({ maxLength: 30 })),
      end: fc.string({ maxLength: 30 }),
    }),
  }),
);

let api: TestWarden;
let token: string;
beforeAll(async () => {
  // Limits high enough that the run measures robustness, not the rate limiter.
  // The fuzzer's FORBIDDEN calls (user, blockUser) would otherwise block it automatically.
  api = await startTestWarden({ env: { RATE_LIMIT_MEMBER_MUTATIONS: '100000', AUTO_BLOCK_OFFENCES: '0' } });
  token = await signToken({ sub: 'fuzzer' });
});
afterAll(() => api.stop());

function expectContractErrors(errors: unknown, context: string): void {
  expect(Array.isArray(errors)).toBe(true);
  for (const error of errors as { message?: unknown; extensions?: { code?: unknown } }[]) {
    if (!CONTRACT_CODES.has(String(error.extensions?.code))) {
      throw new Error(`error without a contract code for ${context}: ${JSON.stringify(error)}`);
    }
    expect(typeof error.message).toBe('string');
  }
}

test(`${HTTP_RUNS} hostile HTTP requests each get contract-coded errors, never a bare 500`, async () => {
  await fc.assert(
    fc.asyncProperty(hostileDocument, hostileVariables, fc.option(fc.string({ maxLength: 20 })), async (query, variables, operationName) => {
      const body = JSON.stringify({ query, variables, operationName });
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      const context = `${response.status} ${body.slice(0, 300)}`;
      expect(response.status === 500 || response.status === 502).toBe(false);
      const json = (await response.json()) as { data?: unknown; errors?: unknown };
      if (json.errors !== undefined) expectContractErrors(json.errors, context);
      else expect(json.data).toBeDefined();
    }),
    { numRuns: HTTP_RUNS, seed: 2026_11_22 },
  );
  expect((await api.as('fuzzer')('{ me { externalId } }')).data?.me.externalId).toBe('fuzzer');
}, 240_000);

test(`${WS_RUNS} hostile subscribe messages each get contract-coded errors; the server keeps serving`, async () => {
  let client = (await RawGraphQLWs.connect(api.url, token)).client;
  let id = 0;
  await fc.assert(
    fc.asyncProperty(hostileDocument, hostileVariables, async (query, variables) => {
      if (!client.isOpen) client = (await RawGraphQLWs.connect(api.url, token)).client;
      const subscriptionId = `f${++id}`;
      client.send({ id: subscriptionId, type: 'subscribe', payload: { query, variables } });
      const answer = await Promise.race([
        client.next((message) => message.id === subscriptionId && message.type !== 'complete', 10_000),
        client.closed.then((closed) => ({ type: 'closed', closed })),
      ]);
      if (answer.type === 'closed') {
        // A payload graphql-ws cannot read as a subscribe message is a protocol error.
        expect([4400, 1009]).toContain(answer.closed.code);
        return;
      }
      if (answer.type === 'error') expectContractErrors(answer.payload, String(query).slice(0, 200));
      if (answer.type === 'next') {
        if (answer.payload.errors) expectContractErrors(answer.payload.errors, String(query).slice(0, 200));
        client.send({ id: subscriptionId, type: 'complete' });
      }
    }),
    { numRuns: WS_RUNS, seed: 2026_11_22 },
  );
  const fresh = (await RawGraphQLWs.connect(api.url, token)).client;
  fresh.subscribe('ok', '{ me { externalId } }');
  const result = await fresh.next((message) => message.id === 'ok' && message.type === 'next');
  expect(result.payload.data.me.externalId).toBe('fuzzer');
  fresh.close();
  client.terminate();
}, 240_000);

const LISTING_FIELDS = ['title', 'description', 'category', 'location'] as const;
const HOSTILE_TEXT_RUNS = 200;

test(`${HOSTILE_TEXT_RUNS} listings with a lone surrogate or a bidi control in any field are all BAD_USER_INPUT on that field`, async () => {
  const create = 'mutation M($input: CreateItemListingInput!) { createItemListing(input: $input) { id } }';
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...LISTING_FIELDS), textWithHostileCharacter, async (field, text) => {
      const input = { title: 'Drill', description: 'Good', category: 'tools', location: 'Utrecht', [field]: text };
      const response = await api.as('fuzzer')(create, { input });
      expect(response.data?.createItemListing ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }),
    { numRuns: HOSTILE_TEXT_RUNS, seed: 2026_12_02 },
  );
}, 120_000);

test('malformed protocol frames close with 4400 and the server answers afterwards', async () => {
  const frames = ['not json', '{"type":"subscribe"}', '{"id":1,"type":"subscribe","payload":"x"}', '[]', '{"type":"bogus"}'];
  for (const frame of frames) {
    const { client } = await RawGraphQLWs.connect(api.url, token);
    client.socket.send(frame);
    expect((await client.waitClosed()).code).toBe(4400);
  }
  expect((await api.as('fuzzer')('{ me { id } }')).errors).toBeUndefined();
});
