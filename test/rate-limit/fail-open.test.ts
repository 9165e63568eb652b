import { Writable } from 'node:stream';
import pino from 'pino';
import { startWarden, type Warden } from '../../api/start-warden';
import { loadConfig } from '../../infrastructure/config/config';
import { startDedicatedServices, testMongoUri, testRedisPrefix, type DedicatedServices } from '../support/test-env';
import { signToken, TEST_JWT_SECRET } from '../support/tokens';
import { RawGraphQLWs, eventually } from '../support/ws-client';
import { CREATE, FORBIDDEN_CALL, outcome, post } from './support';

const ENV = {
  PORT: '0',
  JWT_SECRET: TEST_JWT_SECRET,
  RATE_LIMIT_MEMBER_MUTATIONS: '2',
  RATE_LIMIT_FAILED_AUTHS: '2',
  RATE_LIMIT_CONNECTION_INITS: '2',
};

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: pino({ level: 'info' }, stream) };
}

let counter = 0;
const token = () => signToken({ sub: `fail-open-${++counter}` });
const mongoUri = testMongoUri();

describe('Redis unreachable', () => {
  let services: DedicatedServices;
  let warden: Warden;
  const { lines, log } = capturingLogger();

  beforeAll(async () => {
    services = await startDedicatedServices();
    warden = await startWarden({
      config: loadConfig({ ...ENV, INSTANCE_ID: 'fail-open' }),
      mongoUri,
      redisUrl: services.redis.url,
      redisPrefix: testRedisPrefix(),
      log,
    });
  }, 60_000);
  afterAll(async () => {
    await warden?.stop();
    await services?.dispose();
  });

  test('limits fail open with one warning, and hold again once Redis is back', async () => {
    const limited = await token();
    for (let i = 0; i < 2; i++) expect(outcome(await post(warden.url, CREATE, {}, { token: limited }))).toBe('OK');
    expect(outcome(await post(warden.url, CREATE, {}, { token: limited }))).toBe('RATE_LIMITED');

    await services.redis.stop();

    // Member mutations, failed authentications and connection_inits all go through, promptly.
    const member = await token();
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect(outcome(await post(warden.url, CREATE, {}, { token: member }))).toBe('OK');
    for (let i = 0; i < 5; i++) expect((await post(warden.url, '{ me { id } }', {}, { token: 'bad' })).status).toBe(401);
    for (let i = 0; i < 4; i++) {
      const { client, acked } = await RawGraphQLWs.connect(warden.url, member);
      client.terminate();
      expect(acked).toBe(true);
    }
    // Offences are not counted either: no automated block while the counters are away.
    for (let i = 0; i < 6; i++) expect(outcome(await post(warden.url, FORBIDDEN_CALL, {}, { token: member }))).toBe('FORBIDDEN');
    expect(outcome(await post(warden.url, CREATE, {}, { token: member }))).toBe('OK');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(lines.filter((line) => line.action === 'rate-limit-fail-open')).toHaveLength(1);

    await services.redis.start();
    const after = await token();
    let refused = false;
    await eventually(
      async () => {
        refused = outcome(await post(warden.url, CREATE, {}, { token: after })) === 'RATE_LIMITED';
        return refused;
      },
      15_000,
      'rate limits enforced again',
    );
    expect(lines.some((line) => line.action === 'rate-limit-restored')).toBe(true);
  }, 60_000);
});

describe('in-process mode (no REDIS_URL)', () => {
  let warden: Warden;
  beforeAll(async () => {
    warden = await startWarden({
      config: loadConfig({ ...ENV, INSTANCE_ID: 'in-process', TRUSTED_PROXY_HOPS: '1' }),
      mongoUri,
      redisUrl: null,
      log: pino({ level: 'silent' }),
    });
  });
  afterAll(() => warden?.stop());

  test('a single instance still limits, in memory', async () => {
    const member = await token();
    for (let i = 0; i < 2; i++) expect(outcome(await post(warden.url, CREATE, {}, { token: member }))).toBe('OK');
    const refused = await post(warden.url, CREATE, {}, { token: member });
    expect([refused.status, outcome(refused)]).toEqual([429, 'RATE_LIMITED']);

    const ip = '203.0.113.50';
    for (let i = 0; i < 2; i++) expect((await post(warden.url, '{ me { id } }', {}, { token: 'bad', ip })).status).toBe(401);
    expect((await post(warden.url, '{ me { id } }', {}, { token: 'bad', ip })).status).toBe(429);
  });

  test('and blocks automatically', async () => {
    const sub = `in-process-offender-${++counter}`;
    const member = await signToken({ sub });
    for (let i = 0; i < 5; i++) await post(warden.url, FORBIDDEN_CALL, {}, { token: member });
    const me = await post(warden.url, '{ me { accountStatus { state reason } } }', {}, { token: member });
    expect(me.data?.me.accountStatus).toEqual({ state: 'BLOCKED', reason: 'POLICY_VIOLATION' });
  });
});
