import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  execute,
  getOperationAST,
  specifiedRules,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Viewer } from '../../domain/use-cases/viewer';
import {
  MAX_REQUEST_BYTES,
  WS_CONNECTION_INIT_TIMEOUT_MS,
  WS_KEEP_ALIVE_MS,
} from '../../infrastructure/config/limits';
import type { Logger } from '../../infrastructure/logging/logger';
import {
  CLOSE_REASON,
  TOKEN_EXPIRED_REASON,
  WardenCloseCode,
  rateLimitedCloseReason,
} from '../../infrastructure/sessions/close-codes';
import type { Clock } from '../../domain/shared/clock';
import type { OperationLimitConfig } from '../../infrastructure/config/config';
import { RATE_LIMIT_REDIS_TIMEOUT_MS } from '../../infrastructure/config/limits';
import type { Presence } from '../../infrastructure/presence/presence';
import { isStaffRole, lesserRole, type StaffRights } from '../../infrastructure/sessions/staff-rights';
import { startTokenExpirySweep, tokenExpired } from './token-expiry';
import { closeSocket } from '../../infrastructure/sessions/close-socket';
import { createLiveSession, type LiveSession } from '../../infrastructure/sessions/live-session';
import type { SessionRegistry } from '../../infrastructure/sessions/session-registry';
import type { SessionTerminator } from '../../infrastructure/sessions/session-terminator';
import type { AppServices } from '../app-services';
import type { RateLimitedError } from '../../domain/moderation/rate-limit';
import type { RateLimitGuard } from '../rate-limit/rate-limit-guard';
import { rateLimitedGraphQLError } from '../rate-limit/rate-limited-graphql-error';
import { InvalidTokenError, bearerToken, profileOf, type TokenVerifier } from '../auth/verify-token';
import type { GraphQLContext } from '../context';
import { recordRefusals } from '../errors/audit-refusals';
import { formatError } from '../errors/format-error';
import { DOCUMENT_LIMIT_RULES } from '../limits/document-limits';
import { OperationLimitError, operationLimitGraphQLError } from '../limits/operation-limit-error';
import type { OperationLimits } from '../limits/operation-limits';
import { PersistenceUnavailableError } from '../../infrastructure/mongo/mongo-errors';
import { DocumentCache } from './document-cache';
import { subscribeToEvents } from './executed-events';
import type { LiveSubscriptions } from './live-subscriptions';
import { isOriginAllowed } from './origin-check';
import { SocketOperationContext } from './socket-operation-context';
import { serveGraphQLWs, type WsExtra } from './ws-transport';

export interface GraphQLWsDeps {
  httpServer: Server;
  schema: GraphQLSchema;
  services: AppServices;
  live: LiveSubscriptions;
  verifyToken: TokenVerifier;
  registry: SessionRegistry;
  terminator: SessionTerminator;
  allowedOrigins: readonly string[];
  /** Hides the schema from strangers: no introspection, no field suggestions. */
  production: boolean;
  /** The same rate limits and offence counting as HTTP (api/rate-limit). */
  rateLimits: RateLimitGuard;
  /** The same concurrency, deadline and response-size limits as HTTP (api/limits). */
  operationLimits: OperationLimits;
  /** The clock token expiry is read by (the verifier's). */
  clock: Clock;
  /** MAX_SUBSCRIPTIONS_PER_SOCKET and MAX_SOCKETS_PER_MEMBER. */
  caps: Pick<OperationLimitConfig, 'subscriptionsPerSocket' | 'socketsPerMember'>;
  /** Counts a member's sockets over every instance (infrastructure/presence). */
  presence: Pick<Presence, 'activeSessionCount'>;
  /** Told the rights of every token, so a drop ends staff subscriptions everywhere. */
  staffRights: Pick<StaffRights, 'noteAuthenticated'>;
  /** Told every refused connection (close code) and every error sent (extensions.code): metrics. */
  onRefusal?(code: string | number): void;
  log: Logger;
}

type WsContext = Context<Record<string, unknown> | undefined, WsExtra>;


/**
 * graphql-ws on the HTTP server's port and path. Authentication and the block check
 * happen at `connection_init`, again at every subscribe (the database is the truth), and
 * the same document limits as HTTP apply, since Apollo's rules do not run here.
 */
export function attachGraphQLWs(deps: GraphQLWsDeps): { wss: WebSocketServer; dispose(): Promise<void> } {
  const { registry, services, log } = deps;
  const sessions = new WeakMap<WebSocket, LiveSession>();
  // Apollo's `introspection: false` does not reach this transport; the same rule does.
  const validationRules = [
    ...specifiedRules,
    ...DOCUMENT_LIMIT_RULES,
    ...(deps.production ? [NoSchemaIntrospectionCustomRule] : []),
  ];
  const documents = new DocumentCache(deps.schema, validationRules);
  const toClient = (error: GraphQLError) => {
    const formatted = formatError(error.toJSON(), error);
    deps.onRefusal?.(typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR');
    return deps.production ? { ...formatted, message: withoutSuggestions(formatted.message) } : formatted;
  };
  const wss = new WebSocketServer({
    server: deps.httpServer,
    path: '/graphql',
    maxPayload: MAX_REQUEST_BYTES,
    verifyClient: ({ origin }: { origin: string }) => isOriginAllowed(origin, deps.allowedOrigins),
  });

  const refuse = (socket: WebSocket, code: WardenCloseCode, detail: Record<string, unknown>, reason: string = CLOSE_REASON[code]) => {
    const correlationId = randomUUID();
    log.info({ action: 'connection-refused', code, correlationId, ...detail }, 'refused a WebSocket connection');
    deps.onRefusal?.(code);
    // 1013 means MongoDB is down: not a refusal of anybody, and the trail is unwritable.
    if (code !== WardenCloseCode.ServiceUnavailable) {
      const memberId = typeof detail.userId === 'string' ? detail.userId : null;
      services.audit.record({
        type: 'CONNECTION_REFUSED',
        actorId: memberId,
        targetId: memberId,
        reason,
        correlationId,
        details: { code, ip: typeof detail.ip === 'string' ? detail.ip : null },
      });
    }
    closeSocket(socket, code, reason);
    return false as const;
  };

  /** Deployment-wide via presence; this instance's own count when Redis does not answer in time. */
  const socketsOf = async (userId: string): Promise<number> => {
    const local = () => registry.sessionsOf(userId).length;
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(local()), RATE_LIMIT_REDIS_TIMEOUT_MS).unref());
    return Promise.race([deps.presence.activeSessionCount(userId).catch(local), timeout]);
  };

  // Audited once per socket: a client looping on the refusal must not flood the trail.
  const capAudited = new WeakSet<LiveSession>();
  const tooManySubscriptions = (session: LiveSession): OperationLimitError => {
    const max = deps.caps.subscriptionsPerSocket;
    const refused = new OperationLimitError(
      'MAX_SUBSCRIPTIONS_PER_SOCKET',
      `At most ${max} operations may be open on one connection; complete one first`,
    );
    if (!capAudited.has(session)) {
      capAudited.add(session);
      const details = { limit: refused.limit, max, ip: session.clientIp, transport: 'ws' };
      log.info({ action: 'subscription-refused', userId: session.userId, sessionId: session.id, ...details }, refused.message);
      services.audit.record({
        type: 'RATE_LIMITED',
        actorId: session.userId,
        targetId: session.userId,
        reason: refused.limit,
        correlationId: randomUUID(),
        details,
      });
    }
    return refused;
  };

  const server = serveGraphQLWs<Record<string, unknown> | undefined>(
    wss,
    {
      schema: deps.schema,
      subscribe: subscribeToEvents,
      async onConnect(ctx: WsContext) {
        const { socket, clientIp: ip } = ctx.extra;
        const params = ctx.connectionParams ?? {};
        // graphql-ws keeps them for the socket's life; nothing reads them after this (the
        // token alone is a few hundred bytes per idle socket).
        (ctx as { connectionParams?: unknown }).connectionParams = undefined;
        // Counted per IP before the token is looked at; a 4429's reason says when to retry.
        const connectionId = randomUUID();
        const rateLimited = (refused: RateLimitedError) =>
          refuse(socket, WardenCloseCode.RateLimited, { ip, limit: refused.limit }, rateLimitedCloseReason(refused.retryAfterSeconds));
        const flooding = await deps.rateLimits.admitConnection(ip, connectionId);
        if (flooding) return rateLimited(flooding);
        let viewer: Viewer;
        let me;
        let expiresAt: Date;
        const readStartedAt = performance.now();
        try {
          const claims = await deps.verifyToken(bearerToken(params.authorization ?? params.Authorization));
          me = await services.provisionMember(profileOf(claims));
          deps.staffRights.noteAuthenticated(me.id, isStaffRole(me.role));
          viewer = { userId: me.id, isAdmin: me.isAdmin, role: me.role };
          expiresAt = claims.expiresAt;
        } catch (error) {
          if (error instanceof InvalidTokenError) {
            const overLimit = await deps.rateLimits.afterFailedAuthentication(ip, connectionId, 'ws');
            return overLimit ? rateLimited(overLimit) : refuse(socket, WardenCloseCode.Unauthorized, { ip });
          }
          // Fail closed: a member whose standing cannot be read is not let in.
          return refuse(socket, WardenCloseCode.ServiceUnavailable, { err: error });
        }
        if (socket.readyState !== socket.OPEN) return false;

        // One read: the member as provisioned is its standing. A block that lands after that
        // read is seen either by the fan-out (the session is registered) or, when its
        // signal came while this socket was not registered yet, by blockedSince.
        const session = createLiveSession(viewer.userId, me.role, socket, ip, expiresAt, deps.clock.now());
        registry.add(session);
        // Known before it is accepted, so a close from here on (onClose) unregisters it.
        sessions.set(socket, session);
        if (me.isBlocked() || deps.terminator.blockedSince(viewer.userId, readStartedAt)) {
          registry.remove(session);
          return refuse(socket, WardenCloseCode.AccountBlocked, { userId: viewer.userId, ip });
        }
        // Counted with this socket registered: two racing for the last place are both
        // refused rather than both let in.
        const open = await socketsOf(viewer.userId);
        if (open > deps.caps.socketsPerMember) {
          registry.remove(session);
          return refuse(socket, WardenCloseCode.TooManySockets, {
            userId: viewer.userId,
            ip,
            sockets: open,
            max: deps.caps.socketsPerMember,
          });
        }
        log.info({ action: 'connected', userId: viewer.userId, sessionId: session.id }, 'live session opened');
        return true;
      },

      async onSubscribe(ctx: WsContext, _id, payload) {
        const session = sessions.get(ctx.extra.socket);
        if (!session || session.closing) return [new GraphQLError('Connection is closing')];
        // graphql-ws reserved this operation's id already: it counts itself.
        if (Object.keys(ctx.subscriptions).length > deps.caps.subscriptionsPerSocket) {
          return [operationLimitGraphQLError(tooManySubscriptions(session))];
        }
        // Between `exp` and the timer that closes the socket, nothing more runs on it.
        if (tokenExpired(session.expiresAt, deps.clock)) {
          await deps.terminator.terminate(session, null, WardenCloseCode.Unauthorized, TOKEN_EXPIRED_REASON);
          return [new GraphQLError('Token expired', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        const checked = documents.check(payload.query);
        if ('errors' in checked) return [...checked.errors];
        const { document } = checked;

        // Re-check at every subscribe: a lost block message must not leave a member
        // subscribing on an old socket. If MongoDB cannot say, this operation is refused
        // (SERVICE_UNAVAILABLE) and the socket stays.
        let me;
        try {
          [me] = await services.lookupUsers([session.userId]);
        } catch (error) {
          if (!(error instanceof PersistenceUnavailableError)) throw error;
          return [new GraphQLError(error.message, { originalError: error })];
        }
        if (!me || me.isBlocked()) {
          await deps.terminator.terminate(session, me?.accountStatus() ?? null, WardenCloseCode.AccountBlocked);
          return [new GraphQLError('Account blocked')];
        }
        // Rights are the lesser of this socket's token and the member's role now: a later
        // token with fewer rights (which provisioning stored) narrows an old socket, and a
        // later one with more does not widen it.
        const role = lesserRole(session.role, me.role);
        const viewer: Viewer = { userId: me.id, isAdmin: role === 'ADMIN', role, member: me };
        const contextValue = new SocketOperationContext(viewer, me, services, deps.live, session, log);
        const { correlationId } = contextValue;
        const operation = getOperationAST(document, payload.operationName);
        const refused = operation && (await deps.rateLimits.checkOperation(contextValue, document, operation, 'ws'));
        if (refused) return [rateLimitedGraphQLError(refused, correlationId)];
        return {
          schema: deps.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },

      // Queries and mutations over the socket: the same slots, deadline and size cap as HTTP.
      async execute(args) {
        const context = args.contextValue as GraphQLContext;
        const { viewer, clientIp, correlationId } = context;
        const run = deps.operationLimits.begin({ userId: viewer.userId, ip: clientIp, correlationId });
        if (run instanceof OperationLimitError) return { errors: [operationLimitGraphQLError(run, correlationId)] };
        context.deadline = run.deadline;
        let result: ExecutionResult;
        try {
          result = await execute(args);
        } catch (error) {
          run.end();
          throw error;
        }
        const refused = deps.operationLimits.finish(run, result);
        return refused ? { errors: [operationLimitGraphQLError(refused, correlationId)] } : result;
      },

      async onNext(_ctx, _id, _payload, args, result: ExecutionResult) {
        if (!result.errors) return undefined;
        // A FORBIDDEN among them is an offence of the caller, as over HTTP. Not awaited: the
        // refusal goes out first, then (if it was the last straw) BLOCKED and the 4403.
        void deps.rateLimits.reportErrors(args.contextValue as GraphQLContext | undefined, result.errors);
        // Refusals go to the audit trail, by the same helper as over HTTP.
        recordRefusals(args.contextValue as GraphQLContext | undefined, result.errors, args.operationName);
        return { ...result, errors: result.errors.map(toClient) } as never;
      },

      onError(_ctx, _id, _payload, errors) {
        return errors.map(toClient) as never;
      },

      onClose(ctx: WsContext) {
        const session = sessions.get(ctx.extra.socket);
        if (session) registry.remove(session);
      },
    },
    {
      keepAliveMs: WS_KEEP_ALIVE_MS,
      connectionInitWaitMs: WS_CONNECTION_INIT_TIMEOUT_MS,
      clientIpOf: (request) => deps.rateLimits.clientIp(request),
      log,
    },
  );
  // A socket lives no longer than its token; the client renews it by reconnecting.
  const tokenExpiry = startTokenExpirySweep(registry, (session) => {
    log.info({ action: 'token-expired', userId: session.userId, sessionId: session.id }, 'closing a socket whose token expired');
    void deps.terminator.terminate(session, null, WardenCloseCode.Unauthorized, TOKEN_EXPIRED_REASON);
  });

  return {
    wss,
    async dispose() {
      tokenExpiry.stop();
      await server.dispose();
    },
  };
}

/** graphql-js appends schema hints (" Did you mean \"x\"?") to validation messages. */
function withoutSuggestions(message: string): string {
  return message.replace(/ Did you mean .*\?$/, '');
}
