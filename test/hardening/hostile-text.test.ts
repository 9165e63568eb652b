import { BIDI_CONTROL_TEXTS, LONE_SURROGATE_TEXTS } from '../domain/text-cases';
import { postGraphQL } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import type { RawGraphQLWs } from '../support/ws-client';
import { openSocket, uniqueSub, wsCodes, wsOperation } from './support';

/** Issue 12, item 6: ill-formed Unicode and bidi controls are refused like NUL, everywhere. */
const HOSTILE = [...LONE_SURROGATE_TEXTS, ...BIDI_CONTROL_TEXTS];
const LISTING = { title: 'Drill', description: 'Good', category: 'tools', location: 'Utrecht' };
const CREATE_LISTING = 'mutation L($input: CreateItemListingInput!) { createItemListing(input: $input) { id } }';
const SEND = 'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id } }';
const BLOCK = 'mutation B($input: BlockUserInput!) { blockUser(input: $input) { id } }';

let api: TestWarden;
let memberToken: string;
let recipientId: string;
let socket: RawGraphQLWs;
beforeAll(async () => {
  api = await startTestWarden({ env: { RATE_LIMIT_MEMBER_MUTATIONS: '100000', AUTO_BLOCK_OFFENCES: '0' } });
  memberToken = await signToken({ sub: uniqueSub('writer') });
  recipientId = await api.idOf(uniqueSub('reader'));
  socket = await openSocket(api.url, memberToken);
});
afterAll(async () => {
  socket.terminate();
  await api.stop();
});

describe.each(HOSTILE)('%s', (_name, text) => {
  test.each(['title', 'description', 'category', 'location'])('in a listing %s is BAD_USER_INPUT', async (field) => {
    const response = await postGraphQL(api.url, CREATE_LISTING, { input: { ...LISTING, [field]: text } }, memberToken);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  test('in a message is BAD_USER_INPUT over HTTP and over graphql-ws', async () => {
    const response = await postGraphQL(api.url, SEND, { input: { recipientId, text } }, memberToken);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    expect(wsCodes(await wsOperation(socket, SEND, { input: { recipientId, text } }))).toEqual(['BAD_USER_INPUT']);
  });

  test("in a block's userMessage and adminNote is BAD_USER_INPUT", async () => {
    const admin = await signToken({ sub: uniqueSub('admin'), admin: true });
    for (const input of [
      { userId: recipientId, reason: 'OTHER', duration: 'DAYS_7', userMessage: text },
      { userId: recipientId, reason: 'OTHER', duration: 'DAYS_7', userMessage: 'Stop', adminNote: text },
    ]) {
      const response = await postGraphQL(api.url, BLOCK, { input }, admin);
      expect(response.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  test('as the display name (token `name`) is not taken', async () => {
    const response = await postGraphQL(api.url, '{ me { displayName } }', {}, await signToken({ sub: uniqueSub('named'), name: text }));
    expect(response.errors).toBeUndefined();
    expect(response.data?.me.displayName).toBeNull();
  });

  test('in the token `sub` is UNAUTHENTICATED', async () => {
    const response = await postGraphQL(api.url, '{ me { id } }', {}, await signToken({ sub: `member-${text}` }));
    expect(response.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});

test('right-to-left text with its marks, and emoji, are accepted', async () => {
  const text = 'שלום\u200F עולם 😀';
  const response = await postGraphQL(api.url, SEND, { input: { recipientId, text } }, memberToken);
  expect(response.errors).toBeUndefined();
  const named = await postGraphQL(api.url, '{ me { displayName } }', {}, await signToken({ sub: uniqueSub('rtl'), name: text }));
  expect(named.data?.me.displayName).toBe(text);
});
