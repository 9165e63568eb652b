import { MAX_ALIASES, MAX_DIRECTIVES, MAX_QUERY_COST, MAX_QUERY_DEPTH, MAX_TOKENS } from '../../infrastructure/config/limits';
import { postGraphQL } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import type { RawGraphQLWs } from '../support/ws-client';
import { openSocket, uniqueSub, wsCodes, wsOperation } from './support';

/** Issue 12's probe: 30 aliases of a `first: 100` page nested in another `first: 100` page. */
const page = (first: string) =>
  `myConversations(first: ${first}) { nodes { messages(first: ${first}) { nodes { id text sender { id } } } } }`;
const ATTACK = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: ${page('100')}`).join(' ')} }`;
const ATTACK_WITH_VARIABLES = `query Q($n: Int) { ${Array.from({ length: 30 }, (_, i) => `a${i}: ${page('$n')}`).join(' ')} }`;

const REFUSED: [string, string, RegExp][] = [
  ['the probe of issue 12 (cost)', ATTACK, new RegExp(`Cost limit of ${MAX_QUERY_COST} exceeded`)],
  ['the probe with `first` as a variable (cost)', ATTACK_WITH_VARIABLES, /Cost limit/],
  ['one page of 100 nested in another (cost)', `{ ${page('100')} }`, /Cost limit/],
  [
    'too deep',
    `{ me ${'{ blockHistory { by '.repeat(MAX_QUERY_DEPTH)}{ id }${' } }'.repeat(MAX_QUERY_DEPTH)} }`,
    new RegExp(`depth limit of ${MAX_QUERY_DEPTH}`),
  ],
  [
    'too deep through fragments',
    `fragment F on BlockRecord { by { blockHistory { by { blockHistory { by { blockHistory { by { id } } } } } } } } { me { blockHistory { by { blockHistory { ...F } } } } }`,
    /depth limit/,
  ],
  [
    'too many aliases',
    `{ ${Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
    new RegExp(`Aliases limit of ${MAX_ALIASES}`),
  ],
  ['too many directives', `{ me { id ${'@include(if: true) '.repeat(MAX_DIRECTIVES + 1)} } }`, /Directives limit/i],
  ['too many tokens', `{ me { ${'id '.repeat(MAX_TOKENS)}} }`, new RegExp(`${MAX_TOKENS} tokens`)],
];

const ACCEPTED = [
  `{ ${Array.from({ length: MAX_ALIASES }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
  `{ myConversations(first: 20) { nodes { messages(first: 20) { nodes { id text } } } } }`,
  `{ moderationLog(first: 100) { nodes { id type actor { id displayName } target { id displayName } reason at details } } }`,
];

let api: TestWarden;
let token: string;
let socket: RawGraphQLWs;
beforeAll(async () => {
  api = await startTestWarden();
  token = await signToken({ sub: uniqueSub('limits'), admin: true });
  socket = await openSocket(api.url, token);
});
afterAll(async () => {
  socket.terminate();
  await api.stop();
});

describe.each(REFUSED)('%s', (_name, query, message) => {
  test('is refused over HTTP with 400 BAD_USER_INPUT before anything runs', async () => {
    const response = await postGraphQL(api.url, query, { n: 100 }, token);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.map((error) => error.extensions.code)).toEqual(
      response.errors?.map(() => 'BAD_USER_INPUT'),
    );
    expect(response.errors?.map((error) => error.message).join(' ')).toMatch(message);
  });

  test('is refused over graphql-ws the same way', async () => {
    const answer = await wsOperation(socket, query, { n: 100 });
    expect(answer.type).toBe('error');
    expect(new Set(wsCodes(answer))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(answer.payload.map((error: { message: string }) => error.message).join(' ')).toMatch(message);
  });
});

test.each(ACCEPTED)('an ordinary document passes on both transports: %s', async (query) => {
  const response = await postGraphQL(api.url, query, {}, token);
  expect(response.errors).toBeUndefined();
  const answer = await wsOperation(socket, query);
  expect(answer.type).toBe('next');
  expect(answer.payload.errors).toBeUndefined();
});
