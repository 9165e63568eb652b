import type { PubSubEngine } from 'graphql-subscriptions';
import type Redis from 'ioredis';
import type { SessionControl } from '../../domain/ports/session-control';
import type { Channels } from '../events/channels';
import type { Logger } from '../logging/logger';
import type { SessionRegistry } from '../sessions/session-registry';
import type { SessionTerminator } from '../sessions/session-terminator';
import { ClusterSessionControl } from './cluster-session-control';
import { LocalPresence, instanceIdentity, type Presence } from './presence';
import { RedisPresence } from './redis-presence';

export interface PresenceDeps {
  /** A command connection; null without Redis (one instance, in-process pub/sub). */
  redis: Redis | null;
  pubsub: PubSubEngine;
  channels: Channels;
  registry: SessionRegistry;
  terminator: SessionTerminator;
  /** The deployment's Redis key prefix. */
  prefix: string;
  /** INSTANCE_ID */
  instanceId: string;
  /** PRESENCE_HEARTBEAT_MS and PRESENCE_TTL_MS, from the config. */
  timing: { heartbeatMs: number; ttlMs: number };
  log: Logger;
}

/** Presence and force-disconnect, as the composition root starts and stops them. */
export interface PresenceRuntime {
  /** What the application services use. */
  readonly sessions: SessionControl;
  readonly presence: Presence;
  /** Writes the first heartbeat and listens for force-disconnect requests. */
  start(): Promise<void>;
  /** Stops listening and withdraws this instance's presence (call once its sockets are closed). */
  stop(): Promise<void>;
}

export function createPresenceRuntime(deps: PresenceDeps): PresenceRuntime {
  const instance = instanceIdentity(deps.instanceId);
  const presence: Presence = deps.redis
    ? new RedisPresence(deps.redis, deps.registry, instance, { prefix: deps.prefix, ...deps.timing }, deps.log)
    : new LocalPresence(deps.registry, instance);
  const sessions = new ClusterSessionControl(deps.pubsub, deps.channels, deps.terminator, presence, deps.log);
  return {
    sessions,
    presence,
    async start() {
      await Promise.all([presence.start(), sessions.start()]);
    },
    async stop() {
      sessions.stop();
      await presence.stop();
    },
  };
}
