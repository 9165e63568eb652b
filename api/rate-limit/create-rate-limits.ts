import type { GraphQLSchema } from 'graphql';
import type Redis from 'ioredis';
import { recordOffence } from '../../domain/use-cases/automated-block.use-case';
import type { PersonalUserRepository } from '../../domain/user/personal-user.repository';
import type { WardenConfig } from '../../infrastructure/config/config';
import type { Logger } from '../../infrastructure/logging/logger';
import { FlexibleRateLimitStore } from '../../infrastructure/rate-limit/flexible-rate-limit-store';
import type { AppServices } from '../app-services';
import { RateLimitGuard } from './rate-limit-guard';
import { rateLimitPlugin } from './rate-limit.plugin';

export interface RateLimitsDeps {
  config: Pick<WardenConfig, 'rateLimits' | 'automatedBlock'>;
  /** A command connection to the deployment's Redis; null in in-process mode (memory counters). */
  redis: Redis | null;
  /** The deployment's Redis prefix: instances sharing it share the counts. */
  redisPrefix: string;
  users: Pick<PersonalUserRepository, 'findById'>;
  services: Pick<AppServices, 'audit' | 'blockUser'>;
  schema: GraphQLSchema;
  /** Told every rate-limit refusal (metrics). */
  onRateLimited?(limit: string): void;
  log: Logger;
}

/** The composition root's one call: counters, automated blocks and the HTTP plugin. */
export function createRateLimits(deps: RateLimitsDeps) {
  const log = deps.log.child({ component: 'rate-limit' });
  const store = deps.redis
    ? FlexibleRateLimitStore.redis({ redis: deps.redis, prefix: deps.redisPrefix, log })
    : FlexibleRateLimitStore.memory();
  const guard = new RateLimitGuard({
    store,
    recordOffence: recordOffence({
      users: deps.users,
      offences: store,
      blockUser: deps.services.blockUser,
      policy: deps.config.automatedBlock,
    }),
    limits: deps.config.rateLimits,
    schema: deps.schema,
    services: deps.services,
    onRateLimited: deps.onRateLimited,
    log,
  });
  return { guard, plugin: rateLimitPlugin(guard) };
}
