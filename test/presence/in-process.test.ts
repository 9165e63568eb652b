import { startWarden, type Warden } from '../../api/start-warden';
import { loadConfig } from '../../infrastructure/config/config';
import { createLogger } from '../../infrastructure/logging/logger';
import { testMongoUri } from '../support/test-env';
import { TEST_JWT_SECRET } from '../support/tokens';
import { RawGraphQLWs, eventually } from '../support/ws-client';
import { FORCE_DISCONNECT, activeSessionCount, call, connect, idOf } from './support/cluster';

// Without REDIS_URL there is one instance and in-process pub/sub: its registry is the
// whole truth, and force-disconnect answers alone, at once.
let warden: Warden;
const open: RawGraphQLWs[] = [];

beforeAll(async () => {
  warden = await startWarden({
    config: loadConfig({ PORT: '0', JWT_SECRET: TEST_JWT_SECRET, INSTANCE_ID: 'solo' }),
    mongoUri: testMongoUri(),
    redisUrl: null,
    log: createLogger('test'),
  });
  await idOf(warden, 'admin', true);
});
afterEach(() => open.splice(0).forEach((client) => client.terminate()));
afterAll(() => warden.stop());

test('counts the local sockets and force-disconnects them with 4000', async () => {
  const id = await idOf(warden, 'solo-member');
  const sockets = [await connect(warden, 'solo-member', open), await connect(warden, 'solo-member', open)];
  expect(await activeSessionCount(warden, 'admin', id)).toBe(2);

  const kicked = await call(warden, 'admin', FORCE_DISCONNECT, { userId: id, reason: 'single instance' }, true);
  expect(kicked.data?.forceDisconnect).toBe(2);
  for (const socket of sockets) expect((await socket.waitClosed(5_000)).code).toBe(4000);
  expect(await activeSessionCount(warden, 'admin', id)).toBe(0);

  await connect(warden, 'solo-member', open);
  await eventually(async () => (await activeSessionCount(warden, 'admin', id)) === 1, 2_000, 'reconnected');
});
