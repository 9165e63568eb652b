import { signToken } from '../support/tokens';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { RawGraphQLWs, eventually } from '../support/ws-client';
import { BLOCK_USER, CREATE_LISTING, LISTING_INPUT, UNBLOCK_USER, blockInput, futurePeriod } from './operations';
import { RESTRICT_USER, asModerator, restrictInput } from './staff';

// Every way one member reaches another's PersonalUser must show id and displayName only:
// never standing, role, email nor external id. The member themself and staff see it all.

const PERSON = `id displayName role externalId email isBlocked accountStatus { state restrictions { id } }`;
const HIDDEN = { externalId: null, role: null, email: null, isBlocked: null, accountStatus: null };

let api: TestWarden;
let alice: { sub: string; id: string };
let bob: { sub: string; id: string };
let bobListingId: string;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  api = await startTestWarden({ env: { AUTO_BLOCK_OFFENCES: '0' } });
  await api.idOf('admin', true);
  alice = { sub: 'alice', id: await api.idOf('alice') };
  bob = { sub: 'bob', id: await api.idOf('bob') };
  bobListingId = (await api.as('bob')(CREATE_LISTING, { input: LISTING_INPUT })).data!.createItemListing.id;
  // Bob has a standing to hide: a restriction and a past block.
  await asModerator(api.url, 'moderator')(RESTRICT_USER, { input: restrictInput(bob.id, { actions: ['REQUEST_RESERVATION'] }) });
  await api.as('admin', true)(BLOCK_USER, { input: blockInput(bob.id) });
  await api.as('admin', true)(UNBLOCK_USER, { input: { userId: bob.id, reason: 'Returned everything' } });
  // Bob writes to Alice (messaging is not restricted).
  const sent = await api.as('bob')(
    `mutation { sendMessage(input: { recipientId: "${alice.id}", text: "Hi Alice" }) { id } }`,
  );
  expect(sent.errors).toBeUndefined();
});
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(() => api.stop());

function expectHidden(person: Record<string, unknown>, id: string) {
  // Test tokens carry no name: displayName is null here, but it is answered, not hidden.
  expect(person).toEqual({ id, displayName: null, ...HIDDEN });
}

function expectShown(person: Record<string, unknown>, id: string, sub: string) {
  expect(person).toMatchObject({ id, externalId: sub, role: 'MEMBER', isBlocked: false, accountStatus: { state: expect.any(String) } });
}

test('Message.sender and Message.recipient', async () => {
  // Small pages: the cost limit counts every page at its size.
  const seen = await api.as('alice')(
    `{ myConversations(first: 5) { nodes { messages(first: 5) { nodes { sender { ${PERSON} } recipient { ${PERSON} } } } } } }`,
  );
  expect(seen.errors).toBeUndefined();
  const [message] = seen.data!.myConversations.nodes[0].messages.nodes;
  expectHidden(message.sender, bob.id);
  expectShown(message.recipient, alice.id, 'alice');
  expect(message.recipient.accountStatus.state).toBe('ACTIVE');
});

test('sendMessage: the recipient as the sender sees it', async () => {
  const sent = await api.as('alice')(
    `mutation { sendMessage(input: { recipientId: "${bob.id}", text: "Hi Bob" }) { sender { ${PERSON} } recipient { ${PERSON} } } }`,
  );
  expect(sent.errors).toBeUndefined();
  expectHidden(sent.data!.sendMessage.recipient, bob.id);
  expectShown(sent.data!.sendMessage.sender, alice.id, 'alice');
});

test('Conversation.participants (list and by id)', async () => {
  const seen = await api.as('alice')(`{ myConversations { nodes { id participants { ${PERSON} } } } }`);
  const conversation = seen.data!.myConversations.nodes[0];
  const other = conversation.participants.find((person: { id: string }) => person.id === bob.id);
  expectHidden(other, bob.id);
  const byId = await api.as('alice')(`{ conversation(id: "${conversation.id}") { participants { ${PERSON} } } }`);
  expectHidden(byId.data!.conversation.participants.find((person: { id: string }) => person.id === bob.id), bob.id);
});

test('ItemListing.sharer and ReservationRequest.reserver (creating and listing a reservation)', async () => {
  const created = await api.as('alice')(
    `mutation($input: CreateReservationRequestInput!) {
      createReservationRequest(input: $input) { reserver { ${PERSON} } listing { sharer { ${PERSON} } } }
    }`,
    { input: { listingId: bobListingId, ...futurePeriod() } },
  );
  expect(created.errors).toBeUndefined();
  expectHidden(created.data!.createReservationRequest.listing.sharer, bob.id);
  expectShown(created.data!.createReservationRequest.reserver, alice.id, 'alice');

  const listed = await api.as('alice')(`{ myReservations { nodes { reserver { ${PERSON} } listing { sharer { ${PERSON} } } } } }`);
  expectHidden(listed.data!.myReservations.nodes[0].listing.sharer, bob.id);
  expectShown(listed.data!.myReservations.nodes[0].reserver, alice.id, 'alice');
});

test('block and blockHistory of another member are refused (FORBIDDEN), never shown', async () => {
  const seen = await api.as('alice')(`{ myConversations { nodes { participants { id blockHistory { kind note } } } } }`);
  expect(seen.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  expect(JSON.stringify(seen)).not.toContain('Returned everything');
});

test('messageAdded over graphql-ws: the sender of a live message', async () => {
  const { client } = await RawGraphQLWs.connect(api.url, await signToken({ sub: 'alice' }));
  open.push(client);
  client.subscribe('m', `subscription { messageAdded { sender { ${PERSON} } recipient { ${PERSON} } } }`);
  await eventually(() => api.warden.registry.listenerCount >= 1, 5_000, 'subscription registered');
  await api.as('bob')(`mutation { sendMessage(input: { recipientId: "${alice.id}", text: "Live hello" }) { id } }`);
  const event = await client.next((message) => message.id === 'm' && message.type === 'next');
  expectHidden(event.payload.data.messageAdded.sender, bob.id);
  expectShown(event.payload.data.messageAdded.recipient, alice.id, 'alice');
});

test('the member themself sees everything of their own, and staff see everything of anyone', async () => {
  const own = await api.as('bob')(`{ me { ${PERSON} } }`);
  expectShown(own.data!.me, bob.id, 'bob');
  expect(own.data!.me.accountStatus).toMatchObject({ state: 'RESTRICTED', restrictions: [{ id: expect.any(String) }] });

  const staff = await asModerator(api.url, 'moderator')(
    `{ myConversations { nodes { id } } user(id: "${bob.id}") { ${PERSON} } }`,
  );
  expectShown(staff.data!.user, bob.id, 'bob');
  const throughMessage = await api.as('admin', true)(
    `mutation { sendMessage(input: { recipientId: "${bob.id}", text: "From staff" }) { recipient { ${PERSON} } } }`,
  );
  expectShown(throughMessage.data!.sendMessage.recipient, bob.id, 'bob');
});
