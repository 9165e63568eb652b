/**
 * `npm start`'s process (api/main.ts) on SIGTERM: Warden stops, Apollo included, and the
 * process exits 0 on its own rather than being forced out after SHUTDOWN_GRACE_MS (which
 * exits 1). Apollo's own termination-signal handler once made the second stop() never
 * return.
 */
import { testMongoUri, testRedisPrefix, testRedisUrl } from '../support/test-env';
import { startInstance, stopAllInstances } from './support/instance-process';

jest.setTimeout(60_000);

afterAll(() => stopAllInstances());

test('SIGTERM stops the instance gracefully: "stopped" is logged and the exit code is 0', async () => {
  const instance = await startInstance({
    instanceId: 'shutdown-1',
    mongoUri: testMongoUri(),
    redisUrl: testRedisUrl(),
    redisPrefix: testRedisPrefix(),
    logLevel: 'info',
    // As deployed: under NODE_ENV=test (jest's) Apollo installs no signal handler at all.
    env: { NODE_ENV: 'development' },
  });
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(response.status).toBe(401);

  instance.kill('SIGTERM');
  const exit = await instance.exited;
  expect(exit).toEqual({ code: 0, signal: null });
  expect(instance.outputTail()).toContain('"action":"stopped"');
});
