import { FORBIDDEN_CALL, outcome, post } from '../rate-limit/support';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { eventually, type RawGraphQLWs } from '../support/ws-client';
import { openSocket, uniqueSub } from './support';

/**
 * Issue 12, item 2: offences are the member's own deliberate acts. Two offences block here,
 * so anything that wrongly counts shows at once.
 */
let api: TestWarden;
const sockets: RawGraphQLWs[] = [];
beforeAll(async () => {
  api = await startTestWarden({ env: { AUTO_BLOCK_OFFENCES: '2' } });
});
afterAll(async () => {
  sockets.splice(0).forEach((socket) => socket.terminate());
  await api.stop();
});

async function member() {
  const sub = uniqueSub('offences');
  const token = await signToken({ sub });
  const id = await api.idOf(sub);
  const ask = (query: string, variables: Record<string, unknown> = {}) => post(api.url, query, variables, { token });
  return { sub, token, id, ask };
}

const isBlocked = async (ask: (query: string) => Promise<{ data?: Record<string, any> | null }>) =>
  (await ask('{ me { isBlocked } }')).data?.me.isBlocked as boolean;

const SEND = 'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id } }';
/** Every event reads fields of the sender that only staff may see. */
const PRYING_SUBSCRIPTION = 'subscription { messageAdded { id text sender { id block { reason } } } }';

test('a member cannot get another member blocked by messaging them while they watch admin-only fields', async () => {
  const victim = await member();
  const sender = await member();
  const socket = await openSocket(api.url, victim.token);
  sockets.push(socket);
  socket.subscribe('watch', PRYING_SUBSCRIPTION);
  await eventually(() => api.warden.registry.sessionsOf(victim.id)[0]?.messageStreams.size === 1, 10_000, 'subscription');
  for (let i = 1; i <= 5; i++) {
    expect(outcome(await sender.ask(SEND, { input: { recipientId: victim.id, text: `hello ${i}` } }))).toBe('OK');
    const event = await socket.next(
      (message) => message.id === 'watch' && message.type === 'next' && message.payload.data?.messageAdded?.text === `hello ${i}`,
    );
    // The refused fields are refused in every event…
    expect(event.payload.errors.map((error: any) => error.extensions.code)).toContain('FORBIDDEN');
  }
  // …and none of it counted against the victim, whose socket stays open.
  expect(socket.isOpen).toBe(true);
  expect(await isBlocked(victim.ask)).toBe(false);
  expect(await isBlocked(sender.ask)).toBe(false);
});

test('reading fields one may not see never counts: `me { block }` five times', async () => {
  const reader = await member();
  for (let i = 0; i < 5; i++) {
    const response = await reader.ask('{ me { id block { reason } blockHistory { kind } } }');
    expect(response.errors?.map((error) => error.extensions.code)).toContain('FORBIDDEN');
  }
  expect(await isBlocked(reader.ask)).toBe(false);
});

test('refused admin operations count, once per operation however many are refused in it', async () => {
  const prober = await member();
  // Queries run their root fields side by side: both are refused in one response.
  const twice = `{ a: user(id: "aaaaaaaaaaaaaaaaaaaaaaaa") { id } b: user(id: "bbbbbbbbbbbbbbbbbbbbbbbb") { id } }`;
  const first = await prober.ask(twice);
  expect(first.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  expect(await isBlocked(prober.ask)).toBe(false);
  expect(outcome(await prober.ask(FORBIDDEN_CALL))).toBe('FORBIDDEN');
  expect(await isBlocked(prober.ask)).toBe(true);
});
