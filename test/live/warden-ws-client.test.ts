import { createWardenWsClient } from '../../client/warden-ws-client';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';
import { eventually } from '../support/ws-client';
import { BLOCK_USER, blockInput } from '../api/operations';

let api: TestWarden;
beforeAll(async () => {
  api = await startTestWarden();
});
afterAll(() => api.stop());

test('the Warden client hears BLOCKED, stops on 4403 and does not reconnect', async () => {
  const id = await api.idOf('client-user');
  const token = await signToken({ sub: 'client-user' });
  let connecting = 0;
  const terminal: { code: number; reason: string }[] = [];
  const statuses: string[] = [];
  const client = createWardenWsClient({
    url: api.url.replace('http', 'ws'),
    token: () => token,
    onTerminalClose: (event) => terminal.push(event),
    retryWait: async () => undefined,
    on: { connecting: () => void connecting++ },
  });
  client.subscribe<{ accountStatus: { state: string } }>(
    { query: 'subscription { accountStatus { state } }' },
    { next: (result) => statuses.push(result.data!.accountStatus.state), error: () => undefined, complete: () => undefined },
  );
  await eventually(() => api.warden.registry.listenerCount === 1, 5_000, 'subscription live');

  await api.as('admin', true)(BLOCK_USER, { input: blockInput(id) });
  await eventually(() => terminal.length === 1, 5_000, 'terminal close');
  expect(statuses).toEqual(['BLOCKED']);
  expect(terminal[0]!.code).toBe(4403);
  // Give a retrying client every chance to try again: it must not.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(connecting).toBe(1);
  await client.dispose();
});
