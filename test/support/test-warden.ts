import { startWarden, type Warden } from '../../api/start-warden';
import type { Clock } from '../../domain/shared/clock';
import { loadConfig } from '../../infrastructure/config/config';
import { createLogger } from '../../infrastructure/logging/logger';
import { postGraphQL, type GraphQLResponse } from './graphql-http';
import { testMongoUri, testRedisPrefix, testRedisUrl } from './test-env';
import { signToken, TEST_JWT_SECRET } from './tokens';

export interface TestWarden {
  warden: Warden;
  url: string;
  /** Runs an operation as the member `sub` (admin when asked), provisioning it. */
  as(sub: string, admin?: boolean): (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
  /** The member's id, provisioning it. */
  idOf(sub: string, admin?: boolean): Promise<string>;
  stop(): Promise<void>;
}

export interface TestWardenOptions {
  clock?: Clock;
  mongoUri?: string;
  /** Another prefix than the run's shares nothing over Redis: a way to lose messages. */
  redisPrefix?: string;
  env?: Record<string, string>;
  /** The store connection emits the driver's command events. */
  monitorStoreCommands?: boolean;
}

// One database and one prefix per test file: every Warden a file starts shares them,
// like instances of one deployment.
let fileMongoUri: string | undefined;
let fileRedisPrefix: string | undefined;

/** A real Warden on a free port, on the run's MongoDB and Redis, with this file's own database and prefix. */
export async function startTestWarden(options: TestWardenOptions = {}): Promise<TestWarden> {
  const config = loadConfig({ PORT: '0', JWT_SECRET: TEST_JWT_SECRET, INSTANCE_ID: 'test', ...options.env });
  const warden = await startWarden({
    config,
    mongoUri: options.mongoUri ?? (fileMongoUri ??= testMongoUri()),
    redisUrl: testRedisUrl(),
    redisPrefix: options.redisPrefix ?? (fileRedisPrefix ??= testRedisPrefix()),
    clock: options.clock,
    log: createLogger('test'),
    monitorStoreCommands: options.monitorStoreCommands,
  });
  const as: TestWarden['as'] = (sub, admin = false) => async (query, variables) =>
    postGraphQL(warden.url, query, variables, await signToken({ sub, admin, now: options.clock?.now() }));
  return {
    warden,
    url: warden.url,
    as,
    async idOf(sub, admin = false) {
      const response = await as(sub, admin)('{ me { id } }');
      if (!response.data?.me?.id) throw new Error(`cannot provision ${sub}: ${JSON.stringify(response)}`);
      return response.data.me.id as string;
    },
    stop: () => warden.stop(),
  };
}
