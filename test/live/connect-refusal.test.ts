import { WardenCloseCode } from '../../infrastructure/sessions/close-codes';
import { BLOCK_USER, blockInput } from '../api/operations';
import { lastCloseFrame, rawWsTcp, type RawWsTcp } from '../support/raw-ws-tcp';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';

// A refused connection ends as a closed one does (close-socket.ts): the client's close
// event comes with the frame, not a round trip later. The client here never answers.

let t: TestWarden;
beforeAll(async () => {
  t = await startTestWarden();
});
afterAll(() => t.stop());

/** Resolves when the server ended the TCP connection; rejects if it waits for the client's answer. */
function endedWithoutAnswer(client: RawWsTcp): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server waited for the client to answer its close frame')), 5_000);
    void client.ended.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function refusedAtInit(token: string) {
  const client = await rawWsTcp(t.url, 'graphql-transport-ws');
  client.sendText(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await endedWithoutAnswer(client);
  client.tcp.destroy();
  return lastCloseFrame(client.received).code;
}

test('a blocked member is refused with 4403 and the connection ends right behind it', async () => {
  const userId = await t.idOf('refused-blocked');
  expect((await t.as('refusal-admin', true)(BLOCK_USER, { input: blockInput(userId) })).errors).toBeUndefined();
  expect(await refusedAtInit(await signToken({ sub: 'refused-blocked' }))).toBe(WardenCloseCode.AccountBlocked);
});

test('a bad token is refused with 4401 the same way', async () => {
  expect(await refusedAtInit('not-a-token')).toBe(WardenCloseCode.Unauthorized);
});
