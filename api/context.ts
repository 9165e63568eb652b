import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { PersonalUser } from '../domain/user/personal-user.aggregate';
import type { Viewer } from '../domain/use-cases/viewer';
import type { Logger } from '../infrastructure/logging/logger';
import type { LiveSession } from '../infrastructure/sessions/live-session';
import type { AppServices } from './app-services';
import { InvalidTokenError, type TokenVerifier } from './auth/verify-token';
import { classifyError } from './errors/classify-error';
import { ErrorCode } from './errors/error-code';
import { createLoaders, type Loaders } from './loaders';
import type { LiveSubscriptions } from './ws/live-subscriptions';

/** What every resolver receives, on HTTP and WebSocket alike. */
export interface GraphQLContext {
  correlationId: string;
  viewer: Viewer;
  /** The caller as read at the start of this request. */
  me: PersonalUser;
  services: AppServices;
  loaders: Loaders;
  log: Logger;
  live: LiveSubscriptions;
  /** The graphql-ws socket the operation came on; null over HTTP. */
  session: LiveSession | null;
}

export interface ContextDeps {
  services: AppServices;
  live: LiveSubscriptions;
  verifyToken: TokenVerifier;
  log: Logger;
}

const CORRELATION_ID = /^[\w.-]{8,64}$/;

/** A caller-supplied correlation id is kept when it is sane, else a new one is made. */
export function correlationIdFrom(header: unknown): string {
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
}

/**
 * Authenticates the caller and provisions its member on first sight. Failures become
 * contract errors here, because Apollo would otherwise report them as a 500.
 */
export async function buildContext(
  deps: ContextDeps,
  request: { token: string | null; correlationId: string },
): Promise<GraphQLContext> {
  const { correlationId } = request;
  try {
    const claims = await deps.verifyToken(request.token);
    const me = await deps.services.provisionMember({
      externalId: claims.sub,
      displayName: claims.name,
      email: claims.email,
      role: claims.isAdmin ? 'ADMIN' : 'MEMBER',
    });
    const viewer: Viewer = { userId: me.id, isAdmin: me.isAdmin };
    return {
      correlationId,
      viewer,
      me,
      services: deps.services,
      loaders: createLoaders(deps.services, [me]),
      log: deps.log.child({ userId: me.id, correlationId }),
      live: deps.live,
      session: null,
    };
  } catch (error) {
    throw contextError(error, correlationId, deps.log);
  }
}

function contextError(error: unknown, correlationId: string, log: Logger): GraphQLError {
  if (error instanceof InvalidTokenError) {
    return new GraphQLError(error.message, {
      extensions: { code: ErrorCode.UNAUTHENTICATED, correlationId, http: { status: 401 } },
    });
  }
  const classified = classifyError(error);
  if (!classified.expected) {
    log.error({ err: error, correlationId, action: 'authenticate' }, 'unexpected error while authenticating');
  }
  const status = classified.code === ErrorCode.SERVICE_UNAVAILABLE ? 503 : 500;
  return new GraphQLError(classified.message, {
    extensions: { code: classified.code, correlationId, http: { status } },
  });
}
