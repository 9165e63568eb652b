import { startDedicatedServices, withDatabase, type DedicatedServices } from '../support/test-env';
import { errorCode } from '../support/graphql-http';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { BLOCK_USER, CREATE_LISTING, LISTING_INPUT, blockInput } from './operations';

// Its own MongoDB-compatible server, really stopped and restarted under a running API.
let services: DedicatedServices;
let api: TestWarden;
let memberId: string;

beforeAll(async () => {
  services = await startDedicatedServices();
  api = await startTestWarden({ mongoUri: withDatabase(services.mongo.uri, 'outage') });
  memberId = await api.idOf('member');
  await api.idOf('admin', true);
});
afterAll(async () => {
  await api.stop();
  await services.dispose();
});

const base = () => api.url.replace('/graphql', '');

test('while MongoDB is down: SERVICE_UNAVAILABLE within 5 s, nothing applied, the process stays up; then it recovers by itself', async () => {
  await services.mongo.stop();

  const started = Date.now();
  const block = await api.as('admin', true)(BLOCK_USER, { input: blockInput(memberId) });
  expect(Date.now() - started).toBeLessThan(5_000); // the contract's bound, not a speed target
  expect(errorCode(block)).toBe('SERVICE_UNAVAILABLE');
  expect(block.errors![0]!.message).not.toMatch(/mongo|ECONNREFUSED|127\.0\.0\.1/i);
  expect(errorCode(await api.as('member')(CREATE_LISTING, { input: LISTING_INPUT }))).toBe('SERVICE_UNAVAILABLE');

  expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base()}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ ready: false, unavailable: ['mongodb'] });

  await services.mongo.start();
  const deadline = Date.now() + 20_000;
  while ((await fetch(`${base()}/readyz`)).status !== 200) {
    if (Date.now() > deadline) throw new Error('API did not recover');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The refused block left nothing behind; the same request now works.
  const seen = await api.as('admin', true)(`{ user(id: "${memberId}") { isBlocked blockHistory { kind } } }`);
  expect(seen.data?.user).toEqual({ isBlocked: false, blockHistory: [] });
  expect((await api.as('admin', true)(BLOCK_USER, { input: blockInput(memberId) })).data?.blockUser.isBlocked).toBe(true);
}, 90_000);
