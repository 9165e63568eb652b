import { testMongoUri, testRedisPrefix, testRedisUrl } from '../../support/test-env';
import { signToken } from '../../support/tokens';
import { RawGraphQLWs } from '../../support/ws-client';
import { as as call, idOf, type Endpoint } from '../../multi/support/cluster-client';
import { startInstances, type InstanceOptions, type InstanceProcess } from '../../multi/support/instance-process';

export { call, idOf, type Endpoint };

export const FORCE_DISCONNECT = `mutation Kick($userId: ID!, $reason: String!) {
  forceDisconnect(userId: $userId, reason: $reason)
}`;

export const ACTIVE_SESSION_COUNT = `query Count($id: ID!) { user(id: $id) { activeSessionCount } }`;

/** One deployment of several Warden processes sharing a database and a Redis prefix. */
export interface Cluster {
  readonly instances: InstanceProcess[];
  readonly mongoUri: string;
  readonly redisPrefix: string;
  /** Starts one more instance of this deployment. */
  add(instanceId: string, env?: Record<string, string>): Promise<InstanceProcess>;
}

export async function startCluster(instanceIds: string[], env: Record<string, string> = {}): Promise<Cluster> {
  const mongoUri = testMongoUri();
  const redisPrefix = testRedisPrefix();
  const options = (instanceId: string, extra: Record<string, string> = {}): InstanceOptions => ({
    instanceId,
    mongoUri,
    redisUrl: testRedisUrl(),
    redisPrefix,
    env: { ...env, ...extra },
  });
  const instances = await startInstances(instanceIds.map((id) => options(id)));
  return {
    instances,
    mongoUri,
    redisPrefix,
    async add(instanceId, extra) {
      const [instance] = await startInstances([options(instanceId, extra)]);
      instances.push(instance!);
      return instance!;
    },
  };
}

/** `activeSessionCount` of `userId` as an admin sees it on `endpoint`. */
export async function activeSessionCount(endpoint: Endpoint, adminSub: string, userId: string): Promise<number> {
  const response = await call(endpoint, adminSub, ACTIVE_SESSION_COUNT, { id: userId }, true);
  const count = response.data?.user?.activeSessionCount;
  if (typeof count !== 'number') throw new Error(`no count: ${JSON.stringify(response)}`);
  return count;
}

/** Opens an acknowledged graphql-ws socket of `sub` on `endpoint`; `open` collects it for cleanup. */
export async function connect(endpoint: Endpoint, sub: string, open: RawGraphQLWs[], admin = false): Promise<RawGraphQLWs> {
  const { client, acked } = await RawGraphQLWs.connect(endpoint.url, await signToken({ sub, admin }));
  open.push(client);
  if (!acked) throw new Error(`${sub} was not acknowledged on ${endpoint.url}: ${client.timeline.join(' ')}`);
  return client;
}
