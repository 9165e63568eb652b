import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { PersonalUser } from '../domain/user/personal-user.aggregate';
import type { Viewer } from '../domain/use-cases/viewer';
import type { Logger } from '../infrastructure/logging/logger';
import type { LiveSession } from '../infrastructure/sessions/live-session';
import { isStaffRole, type StaffRights } from '../infrastructure/sessions/staff-rights';
import type { AppServices } from './app-services';
import { InvalidTokenError, profileOf, type TokenVerifier } from './auth/verify-token';
import { classifyError } from './errors/classify-error';
import { ErrorCode } from './errors/error-code';
import { createLoaders, type Loaders } from './loaders';
import type { LiveSubscriptions } from './ws/live-subscriptions';
import type { OperationDeadline } from './limits/operation-deadline';
import { RateLimitedError } from '../domain/moderation/rate-limit';
import type { AuthenticationLimit } from './rate-limit/rate-limit-guard';
import { rateLimitedGraphQLError } from './rate-limit/rate-limited-graphql-error';

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
  /** The client's address (api/rate-limit/client-ip.ts); null when unknown. */
  clientIp: string | null;
  /** The deadline of a running query or mutation (api/limits/operation-deadline.ts); none for subscriptions. */
  deadline?: OperationDeadline;
  /**
   * What this operation already reported, so a subscription whose every event carries the
   * same refusal reports it once (api/errors/audit-refusals.ts, api/rate-limit).
   */
  reported?: ReportedRefusals;
}

export interface ReportedRefusals {
  /** Keys of the refusals already in the audit trail. */
  audited: Set<string>;
  /** Whether this operation already counted as an offence. */
  offence: boolean;
}

/** The operation's record of what it reported, created on first use. */
export function reportedBy(context: Pick<GraphQLContext, 'reported'>): ReportedRefusals {
  return (context.reported ??= { audited: new Set(), offence: false });
}

export interface ContextDeps {
  services: AppServices;
  live: LiveSubscriptions;
  verifyToken: TokenVerifier;
  log: Logger;
  /** The per-IP limit on failed authentications; none: unlimited. */
  authLimit?: AuthenticationLimit;
  /** Told the rights of every token, so a drop ends staff subscriptions; none: not told. */
  staffRights?: Pick<StaffRights, 'noteAuthenticated'>;
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
  request: { token: string | null; correlationId: string; clientIp?: string | null },
): Promise<GraphQLContext> {
  const { correlationId } = request;
  const clientIp = request.clientIp ?? null;
  try {
    // An address that failed too often is refused whatever its token (a bad one is
    // refused by the failure count below). The member is read meanwhile, sent first: the
    // answer waits for the check, so a refusal tells nothing of the member.
    const claims = await deps.verifyToken(request.token);
    const [member, refusal] = await Promise.allSettled([
      deps.services.provisionMember(profileOf(claims)),
      deps.authLimit?.beforeAuthentication(clientIp, correlationId, 'http') ?? null,
    ]);
    if (refusal.status === 'rejected') throw refusal.reason;
    if (refusal.value) throw refusal.value;
    if (member.status === 'rejected') throw member.reason;
    const me = member.value;
    deps.staffRights?.noteAuthenticated(me.id, isStaffRole(me.role));
    const viewer: Viewer = { userId: me.id, isAdmin: me.isAdmin, role: me.role, member: me };
    return {
      correlationId,
      viewer,
      me,
      services: deps.services,
      loaders: createLoaders(deps.services, [me]),
      log: deps.log.child({ userId: me.id, correlationId }),
      live: deps.live,
      session: null,
      clientIp,
    };
  } catch (error) {
    const overLimit =
      error instanceof InvalidTokenError
        ? await deps.authLimit?.afterFailedAuthentication(clientIp, correlationId, 'http')
        : null;
    throw contextError(overLimit ?? error, correlationId, deps.log);
  }
}

function contextError(error: unknown, correlationId: string, log: Logger): GraphQLError {
  if (error instanceof RateLimitedError) return rateLimitedGraphQLError(error, correlationId);
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
