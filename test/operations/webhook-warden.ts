import { startWarden, type StartOptions, type Warden } from '../../api/start-warden';
import { loadConfig } from '../../infrastructure/config/config';
import { createLogger } from '../../infrastructure/logging/logger';
import { postGraphQL, type GraphQLResponse } from '../support/graphql-http';
import { testMongoUri, testRedisPrefix, testRedisUrl } from '../support/test-env';
import { signToken, TEST_JWT_SECRET } from '../support/tokens';

export interface WebhookWarden {
  warden: Warden;
  as(sub: string, admin?: boolean): (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
  idOf(sub: string, admin?: boolean): Promise<string>;
}

/**
 * A real Warden, like test/support's, that also takes StartOptions (a short webhook
 * timeout and lease) and its own database, so its queue is its own.
 */
export async function startWebhookWarden(
  env: Record<string, string>,
  options: Partial<StartOptions> & { mongoUri?: string } = {},
): Promise<WebhookWarden> {
  const config = loadConfig({ PORT: '0', JWT_SECRET: TEST_JWT_SECRET, INSTANCE_ID: 'webhook-test', ...env });
  const warden = await startWarden({
    config,
    mongoUri: options.mongoUri ?? testMongoUri(),
    redisUrl: testRedisUrl(),
    redisPrefix: testRedisPrefix(),
    log: createLogger('test'),
    ...options,
  });
  const as: WebhookWarden['as'] = (sub, admin = false) => async (query, variables) =>
    postGraphQL(warden.url, query, variables, await signToken({ sub, admin }));
  return {
    warden,
    as,
    async idOf(sub, admin = false) {
      const response = await as(sub, admin)('{ me { id } }');
      if (!response.data?.me?.id) throw new Error(`cannot provision ${sub}: ${JSON.stringify(response)}`);
      return response.data.me.id as string;
    },
  };
}
