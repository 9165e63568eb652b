import { startTestWarden, type TestWarden } from '../support/test-warden';
import { testRedisPrefix } from '../support/test-env';
import { signToken } from '../support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, RawGraphQLWs, eventually } from '../support/ws-client';
import { BLOCK_USER, blockInput } from '../api/operations';

// `deaf` serves the sockets; `other` shares its database but publishes on another prefix,
// so every block made through `other` is a fan-out message `deaf` never hears: exactly what
// Redis losing a message looks like. MongoDB must still win.
let deaf: TestWarden;
let other: TestWarden;
let counter = 0;
const clients: RawGraphQLWs[] = [];

beforeAll(async () => {
  deaf = await startTestWarden({ env: { SESSION_SWEEP_INTERVAL_MS: '3600000' } });
  other = await startTestWarden({ redisPrefix: testRedisPrefix() });
  await other.idOf('admin', true);
});
afterEach(() => clients.splice(0).forEach((client) => client.terminate()));
afterAll(async () => {
  await deaf.stop();
  await other.stop();
});

async function connectedMember() {
  const sub = `lost-${++counter}`;
  const id = await deaf.idOf(sub);
  const { client, acked } = await RawGraphQLWs.connect(deaf.url, await signToken({ sub }));
  clients.push(client);
  expect(acked).toBe(true);
  return { id, client };
}

const blockUnheard = async (id: string) => {
  const response = await other.as('admin', true)(BLOCK_USER, { input: blockInput(id) });
  expect(response.errors).toBeUndefined();
};

test('the next subscribe re-checks MongoDB and closes the socket with 4403', async () => {
  const { id, client } = await connectedMember();
  await blockUnheard(id);
  expect(client.isOpen).toBe(true);
  client.subscribe('s', ACCOUNT_STATUS_SUBSCRIPTION);
  expect((await client.waitClosed()).code).toBe(4403);
});

test('the session sweep closes every socket of a member blocked without a message', async () => {
  const first = await connectedMember();
  const second = await connectedMember();
  first.client.subscribe('s', ACCOUNT_STATUS_SUBSCRIPTION);
  await eventually(() => deaf.warden.registry.listenerCount >= 1, 5_000, 'subscription registered');
  await blockUnheard(first.id);
  await blockUnheard(second.id);

  await deaf.warden.sweepSessions();
  expect((await first.client.waitClosed()).code).toBe(4403);
  expect((await second.client.waitClosed()).code).toBe(4403);
  // Even found by the sweep, the member hears why before the close.
  const event = first.client.messages.find((message) => message.id === 's');
  expect(event.payload.data.accountStatus.state).toBe('BLOCKED');
});

test('the sweep leaves active members alone', async () => {
  const { client } = await connectedMember();
  await deaf.warden.sweepSessions();
  client.send({ type: 'ping' });
  await client.next((message) => message.type === 'pong');
  expect(client.isOpen).toBe(true);
});
