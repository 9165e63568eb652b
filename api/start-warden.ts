import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { systemClock, type Clock } from '../domain/shared/clock';
import { newEntityId } from '../domain/shared/entity-id';
import type { WardenConfig } from '../infrastructure/config/config';
import {
  HTTP_HEADERS_TIMEOUT_MS,
  HTTP_KEEP_ALIVE_TIMEOUT_MS,
  HTTP_REQUEST_TIMEOUT_MS,
  EXPIRY_RECONCILE_INTERVAL_MS,
  EXPIRY_RECONCILE_LOOKAHEAD_MS,
  EXPIRY_TICK_INTERVAL_MS,
  OPTIMISTIC_RETRY_LIMIT,
  OUTBOX_RELAY_GRACE_MS,
  OUTBOX_RELAY_INTERVAL_MS,
  SHUTDOWN_GRACE_MS,
} from '../infrastructure/config/limits';
import { createAuditTrail } from '../infrastructure/audit/audit-trail';
import { ExpirySchedule } from '../infrastructure/jobs/expiry-schedule';
import { startPeriodicJob } from '../infrastructure/jobs/periodic-job';
import { LiveDispatcher } from '../infrastructure/sessions/live-dispatcher';
import { SessionRegistry } from '../infrastructure/sessions/session-registry';
import { SessionTerminator } from '../infrastructure/sessions/session-terminator';
import { StaffRights } from '../infrastructure/sessions/staff-rights';
import { createPresenceRuntime, type PresenceRuntime } from '../infrastructure/presence/presence-runtime';
import { channelsFor, type Channels } from '../infrastructure/events/channels';
import { PubSubEventPublisher } from '../infrastructure/events/pubsub-event-publisher';
import { createLogger, type Logger } from '../infrastructure/logging/logger';
import { closeMongo, connectMongo, pingMongo } from '../infrastructure/mongo/connection';
import { createMongoRepositories } from '../infrastructure/mongo/repositories';
import { createRedisFanout, type RedisFanout } from '../infrastructure/redis/redis-pubsub';
import { createAppServices, type AppServices } from './app-services';
import { bearerToken, createTokenVerifier } from './auth/verify-token';
import { buildContext, correlationIdFrom, type GraphQLContext } from './context';
import { errorLoggingPlugin } from './errors/error-logging.plugin';
import { createRateLimits } from './rate-limit/create-rate-limits';
import { formatError } from './errors/format-error';
import { createHttpApp } from './http/create-http-app';
import { buildResolvers } from './resolvers';
import { DOCUMENT_LIMIT_RULES, PARSE_OPTIONS } from './limits/document-limits';
import { enforceDeadlines } from './limits/operation-deadline';
import { OperationLimits } from './limits/operation-limits';
import { operationLimitsPlugin } from './limits/operation-limits.plugin';
import { subscriptionsOverHttpPlugin } from './http/subscriptions-over-http.plugin';
import { buildSchema } from './schema';
import { attachGraphQLWs } from './ws/graphql-ws-server';
import { LiveSubscriptions } from './ws/live-subscriptions';

export interface StartOptions {
  config: WardenConfig;
  mongoUri: string;
  /** null: in-process pub/sub, valid for a single instance only. */
  redisUrl: string | null;
  /** Prefix of every Redis channel and key of this deployment. @default 'warden:' */
  redisPrefix?: string;
  clock?: Clock;
  log?: Logger;
  /**
   * Another MongoDB for the audit trail alone. For fault tests that stop the audit store
   * while the rest keeps serving. @default mongoUri
   */
  auditMongoUri?: string;
}

export interface Warden {
  url: string;
  port: number;
  httpServer: Server;
  services: AppServices;
  registry: SessionRegistry;
  /** The pub/sub channels this instance listens on. */
  channels: Channels;
  /** Presence in Redis and force-disconnect across instances. */
  presence: PresenceRuntime;
  /** Queries and mutations in flight, per member and address (api/limits). */
  operations: OperationLimits;
  log: Logger;
  /** Runs the session sweep now (tests; it also runs on its interval). */
  sweepSessions(): Promise<void>;
  /** Plans expiries from MongoDB now (tests; it also runs on its interval). */
  reconcileExpiries(): Promise<void>;
  /** Writes every audit entry recorded so far (tests; stop() does it too). Never rejects. */
  flushAudit(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The composition root: connects the adapters, builds the services, serves HTTP. */
export async function startWarden(options: StartOptions): Promise<Warden> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.instanceId);
  const connection = await connectMongo(options.mongoUri, log);
  const fanout: RedisFanout | null = options.redisUrl ? createRedisFanout(options.redisUrl, log) : null;
  if (fanout && !(await fanout.ready())) {
    log.warn({ action: 'redis-down' }, 'Redis unreachable at start: serving; the session sweep enforces blocks');
  }
  const pubsub: PubSubEngine = fanout?.pubsub ?? new PubSub();
  const redisPrefix = options.redisPrefix ?? 'warden:';
  const channels = channelsFor(redisPrefix);
  const registry = new SessionRegistry();
  const terminator = new SessionTerminator(registry, log);
  const presence = createPresenceRuntime({
    redis: fanout?.publisher ?? null,
    pubsub,
    channels,
    registry,
    terminator,
    prefix: redisPrefix,
    instanceId: config.instanceId,
    timing: config.presence,
    log,
  });
  const repositories = createMongoRepositories(connection, clock);
  const auditConnection = options.auditMongoUri ? await connectMongo(options.auditMongoUri, log) : connection;
  const audit = createAuditTrail({ connection: auditConnection, pubsub, channels, clock, instanceId: config.instanceId, log });
  const services = createAppServices({
    ...repositories,
    // Every saved user event is recorded in the audit trail as it is published.
    events: audit.recordingEvents(new PubSubEventPublisher(pubsub, channels), repositories.users),
    clock,
    optimisticRetries: OPTIMISTIC_RETRY_LIMIT,
    sessions: presence.sessions,
    audit: audit.recorder,
    auditLog: audit.reader,
    log,
  });
  // Tokens live in real time: the injected clock moves blocks (tests advance it by days).
  const verifyToken = createTokenVerifier(config.jwt);

  const httpServer = createServer();
  httpServer.headersTimeout = HTTP_HEADERS_TIMEOUT_MS;
  httpServer.requestTimeout = HTTP_REQUEST_TIMEOUT_MS;
  httpServer.keepAliveTimeout = HTTP_KEEP_ALIVE_TIMEOUT_MS;

  const live = new LiveSubscriptions(registry);
  const expiries = new ExpirySchedule({
    clock,
    blocksExpiringBy: services.blocksExpiringBy,
    settleExpiredBlock: async (userId) =>
      (await services.settleExpiredBlock({ userId, correlationId: `expiry-${newEntityId()}` })).storedBlock?.expiresAt ??
      null,
  });
  const dispatcher = new LiveDispatcher({
    pubsub,
    channels,
    registry,
    terminator,
    clock,
    currentStatus: services.accountStatusOf,
    onAccountStatus: (status) => expiries.noteStatus(status),
    log,
  });
  await dispatcher.start();
  const staffRights = new StaffRights(pubsub, channels.rightsReduced, registry, log);
  await staffRights.start();
  await audit.startFeed(registry);
  await presence.start();

  const schema = enforceDeadlines(buildSchema(buildResolvers()));
  const operationLimits = new OperationLimits(config.operations, log.child({ component: 'operation-limits' }));
  const rateLimits = createRateLimits({
    config,
    redis: fanout?.publisher ?? null,
    redisPrefix,
    users: repositories.users,
    services,
    schema,
    log,
  });
  const ws = attachGraphQLWs({
    httpServer,
    schema,
    services,
    live,
    verifyToken,
    registry,
    terminator,
    allowedOrigins: config.allowedOrigins,
    production: config.production,
    rateLimits: rateLimits.guard,
    operationLimits,
    clock: systemClock,
    caps: config.operations,
    presence: presence.presence,
    staffRights,
    log,
  });

  // MongoDB is the truth and Redis may lose messages: every interval, and at once when
  // Redis comes back, close the sockets of whoever is blocked now.
  const sessionSweep = startPeriodicJob(
    'session-sweep',
    config.sessionSweepIntervalMs,
    async () => {
      for (const status of await services.blockedStatusesAmong(registry.userIds())) {
        await terminator.terminateUser(status.userId, status);
      }
      // A lost drop-of-rights signal: staff subscriptions of members no longer staff end here.
      await staffRights.endRevoked(async (ids) => new Map((await services.lookupUsers(ids)).map((user) => [user.id, user.role])));
    },
    log,
  );
  const expiryTick = startPeriodicJob('expiry-tick', EXPIRY_TICK_INTERVAL_MS, async () => void (await expiries.settleDue()), log);
  const expiryReconcile = startPeriodicJob(
    'expiry-reconcile',
    EXPIRY_RECONCILE_INTERVAL_MS,
    () => expiries.reconcile(EXPIRY_RECONCILE_LOOKAHEAD_MS),
    log,
  );
  void expiryReconcile.runNow();
  const outboxRelay = startPeriodicJob(
    'outbox-relay',
    OUTBOX_RELAY_INTERVAL_MS,
    async () => void (await services.relayOutbox(OUTBOX_RELAY_GRACE_MS)),
    log,
  );
  // Signals sent while Redis was away are lost: catch up on each at once.
  let redisWasDown = false;
  fanout?.subscriber.on('close', () => (redisWasDown = true));
  fanout?.subscriber.on('ready', () => {
    if (!redisWasDown) return;
    redisWasDown = false;
    log.info({ action: 'redis-reconnected' }, 'redis is back: sweeping sessions, expiries and the outbox');
    void sessionSweep.runNow();
    void expiryReconcile.runNow();
    void outboxRelay.runNow();
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    validationRules: [...DOCUMENT_LIMIT_RULES],
    parseOptions: PARSE_OPTIONS,
    introspection: !config.production,
    // No "Did you mean …?" schema hints for strangers in production.
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: () => ws.dispose() }) },
      errorLoggingPlugin(log),
      rateLimits.plugin,
      subscriptionsOverHttpPlugin(),
      operationLimitsPlugin(operationLimits),
    ],
  });
  await apollo.start();

  const graphql = expressMiddleware(apollo, {
    context: async ({ req, res }) => {
      const correlationId = correlationIdFrom(req.headers['x-correlation-id']);
      res.setHeader('x-correlation-id', correlationId);
      return buildContext(
        { services, live, verifyToken, log, authLimit: rateLimits.guard, staffRights },
        { token: bearerToken(req.headers.authorization), correlationId, clientIp: rateLimits.guard.clientIp(req) },
      );
    },
  });
  const app = createHttpApp(graphql, {
    instanceId: config.instanceId,
    async unavailable() {
      const down: string[] = [];
      if (!(await pingMongo(connection))) down.push('mongodb');
      if (fanout && fanout.publisher.status !== 'ready') down.push('redis');
      return down;
    },
  });
  httpServer.on('request', app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  log.info({ action: 'listening', port }, `Warden listening on http://localhost:${port}/graphql`);

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    httpServer,
    services,
    registry,
    channels,
    presence,
    operations: operationLimits,
    log,
    sweepSessions: () => sessionSweep.runNow(),
    reconcileExpiries: () => expiryReconcile.runNow(),
    flushAudit: (timeoutMs) => audit.flush(timeoutMs),
    async stop() {
      for (const job of [sessionSweep, expiryTick, expiryReconcile, outboxRelay]) job.stop();
      dispatcher.stop();
      staffRights.stop();
      audit.stopFeed();
      await apollo.stop();
      // The last requests' entries, before the store's connection goes.
      await audit.flush(SHUTDOWN_GRACE_MS);
      if (auditConnection !== connection) await closeMongo(auditConnection);
      // After the sockets closed, before Redis goes: withdraws this instance's presence.
      await presence.stop();
      await fanout?.close();
      await closeMongo(connection);
      log.info({ action: 'stopped' }, 'Warden stopped');
    },
  };
}
