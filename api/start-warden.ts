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
  OPTIMISTIC_RETRY_LIMIT,
  SHUTDOWN_GRACE_MS,
} from '../infrastructure/config/limits';
import { createAuditTrail } from '../infrastructure/audit/audit-trail';
import { ExpirySchedule } from '../infrastructure/jobs/expiry-schedule';
import { startSafetyNets } from '../infrastructure/jobs/safety-nets';
import { LiveDispatcher } from '../infrastructure/sessions/live-dispatcher';
import { SessionRegistry } from '../infrastructure/sessions/session-registry';
import { SessionTerminator } from '../infrastructure/sessions/session-terminator';
import { StaffRights } from '../infrastructure/sessions/staff-rights';
import { createPresenceRuntime, type PresenceRuntime } from '../infrastructure/presence/presence-runtime';
import { channelsFor, type Channels } from '../infrastructure/events/channels';
import { PubSubEventPublisher } from '../infrastructure/events/pubsub-event-publisher';
import { createLogger, type Logger } from '../infrastructure/logging/logger';
import { closeMongo, connectMongo, pingMongo, type Connection } from '../infrastructure/mongo/connection';
import { createMongoRepositories } from '../infrastructure/mongo/repositories';
import { createRedisFanout, type RedisFanout } from '../infrastructure/redis/redis-pubsub';
import { WardenMetrics } from '../infrastructure/metrics/warden-metrics';
import { startMetricsServer, type MetricsServer } from '../infrastructure/metrics/metrics-server';
import { httpMetricsPlugin } from './metrics/http-metrics.plugin';
import { instrumentServices } from './metrics/instrument-services';
import { createWebhookRuntime, type WebhookRuntime } from '../infrastructure/webhooks/webhook-runtime';
import type { WebhookTiming } from '../infrastructure/webhooks/webhook-dispatcher';
import { MongoIdempotencyStore } from '../infrastructure/idempotency/mongo-idempotency-store';
import { createAppServices, type AppServices } from './app-services';
import { bearerToken, createTokenVerifier } from './auth/verify-token';
import { cachedProvisioning } from './auth/caller-cache';
import { buildContext, correlationIdFrom, type GraphQLContext } from './context';
import { errorLoggingPlugin } from './errors/error-logging.plugin';
import { createRateLimits } from './rate-limit/create-rate-limits';
import { formatError } from './errors/format-error';
import { createHttpApp } from './http/create-http-app';
import { devSignIn } from './http/dev-sign-in';
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
  /** Where the built web apps are (dist/web); absent: Warden serves no apps. */
  webDistDir?: string;
  /**
   * Another MongoDB for the audit trail alone. For fault tests that stop the audit store
   * while the rest keeps serving. @default mongoUri
   */
  auditMongoUri?: string;
  /** Shorter webhook timeout and lease than the contract's 10 s (tests). */
  webhookTiming?: Partial<WebhookTiming>;
  /** The store connection emits the driver's command events (tests counting round trips). */
  monitorStoreCommands?: boolean;
}

export interface Warden {
  url: string;
  port: number;
  httpServer: Server;
  /** The store's connection (command monitoring is on: tests count round trips). */
  connection: Connection;
  services: AppServices;
  registry: SessionRegistry;
  /** The pub/sub channels this instance listens on. */
  channels: Channels;
  /** Presence in Redis and force-disconnect across instances. */
  presence: PresenceRuntime;
  /** Queries and mutations in flight, per member and address (api/limits). */
  operations: OperationLimits;
  /** The webhook queue and dispatcher (idle without WEBHOOK_URL). */
  webhooks: WebhookRuntime;
  metrics: WardenMetrics;
  /** The port of GET /metrics; null when METRICS_PORT is unset. */
  metricsPort: number | null;
  log: Logger;
  /** Runs the session sweep now (tests; it also runs on its interval). */
  sweepSessions(): Promise<void>;
  /** Plans expiries from MongoDB now (tests; it also runs on its interval). */
  reconcileExpiries(): Promise<void>;
  /** Writes every audit entry recorded so far (tests; stop() does it too). Never rejects. */
  flushAudit(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Most unpublished events the outbox gauges read per scrape. */
const OUTBOX_METRIC_CAP = 1_000;

/** The composition root: connects the adapters, builds the services, serves HTTP. */
export async function startWarden(options: StartOptions): Promise<Warden> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.instanceId);
  const connection = await connectMongo(options.mongoUri, log, { monitorCommands: options.monitorStoreCommands });
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
  let metrics: WardenMetrics | null = null;
  const webhooks = createWebhookRuntime({
    connection,
    config: config.webhook,
    clock,
    log,
    timing: options.webhookTiming,
    onAttempt: (outcome) => metrics?.webhookAttempt(outcome),
  });
  const audit = createAuditTrail({
    connection: auditConnection,
    pubsub,
    channels,
    clock,
    instanceId: config.instanceId,
    log,
    beforeStore: (entries) => webhooks.enqueueEntries(entries),
  });
  const publisher = new PubSubEventPublisher(pubsub, channels);
  const services = createAppServices({
    ...repositories,
    // Every saved user event is recorded in the audit trail as it is published.
    // ... and queued as a webhook, before the outbox lets go of it.
    events: audit.recordingEvents(webhooks.enqueuingEvents(publisher), repositories.users),
    webhooks: webhooks.queue,
    idempotency: new MongoIdempotencyStore(connection),
    clock,
    optimisticRetries: OPTIMISTIC_RETRY_LIMIT,
    sessions: presence.sessions,
    audit: audit.recorder,
    auditLog: audit.reader,
    log,
  });
  const verifyToken = createTokenVerifier(config.jwt, clock);
  metrics = new WardenMetrics(config.instanceId, {
    openSockets: () => registry.sessionCount,
    subscriptions: () => registry.subscriptionCounts(),
    async outbox() {
      // Capped: past a thousand the number matters less than that it is large.
      const events = await repositories.users.findUnpublishedEvents(OUTBOX_METRIC_CAP);
      const oldest = events[0] ? new Date(events[0].occurredAt).getTime() : null;
      return { backlog: events.length, oldestAgeMs: oldest === null ? 0 : Math.max(0, clock.now().getTime() - oldest) };
    },
    mongoUp: () => pingMongo(connection),
    redisUp: () => (fanout ? fanout.publisher.status === 'ready' : null),
    webhooks: () => webhooks.queue.counts(),
  });
  instrumentServices(services, metrics);

  const httpServer = createServer();
  httpServer.headersTimeout = HTTP_HEADERS_TIMEOUT_MS;
  httpServer.requestTimeout = HTTP_REQUEST_TIMEOUT_MS;
  httpServer.keepAliveTimeout = HTTP_KEEP_ALIVE_TIMEOUT_MS;

  const live = new LiveSubscriptions(registry);
  const expiries = new ExpirySchedule({
    clock,
    blocksExpiringBy: services.blocksExpiringBy,
    settleExpiredBlock: async (userId) =>
      (await services.settleExpiredBlock({ userId, correlationId: `expiry-${newEntityId()}` })).nextStoredExpiry,
  });
  const dispatcher = new LiveDispatcher({
    pubsub,
    channels,
    registry,
    terminator,
    clock,
    currentStatus: services.accountStatusOf,
    onAccountStatus: (status) => expiries.noteStatus(status),
    onSocketsTerminated: (seconds) => metrics.blockTermination(seconds),
    log,
  });
  await dispatcher.start();
  publisher.deliverLocallyTo((signal) => dispatcher.receiveStatus(signal));
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
    onRateLimited: (limit) => metrics.rateLimitHit(limit),
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
    clock,
    caps: config.operations,
    presence: presence.presence,
    staffRights,
    onRefusal: (code) => metrics.refusal(code),
    log,
  });

  const safetyNets = startSafetyNets({
    registry,
    terminator,
    expiries,
    standingsChangedSince: services.standingsChangedSince,
    clock,
    // A lost drop-of-rights signal: staff subscriptions of members no longer staff end here.
    endRevokedRights: () =>
      staffRights.endRevoked(async (ids) => new Map((await services.lookupUsers(ids)).map((user) => [user.id, user.role]))),
    relayOutbox: services.relayOutbox,
    sessionSweepIntervalMs: config.sessionSweepIntervalMs,
    redisSubscriber: fanout?.subscriber ?? null,
    log,
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
    // The process's shutdown (api/main.ts) stops Warden, Apollo included. Apollo's own
    // SIGTERM handler would stop it first, and a second stop() never returns (Apollo 5
    // resolves its stop barrier only on failure): npm start took the 10 s grace to exit 1.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: () => ws.dispose() }) },
      errorLoggingPlugin(log),
      rateLimits.plugin,
      subscriptionsOverHttpPlugin(),
      operationLimitsPlugin(operationLimits),
      httpMetricsPlugin(metrics),
    ],
  });
  await apollo.start();

  const httpServices = { ...services, provisionMember: cachedProvisioning(services.provisionMember, config.callerCacheMs) };
  const graphql = expressMiddleware(apollo, {
    context: async ({ req, res }) => {
      const correlationId = correlationIdFrom(req.headers['x-correlation-id']);
      res.setHeader('x-correlation-id', correlationId);
      return buildContext(
        { services: httpServices, live, verifyToken, log, authLimit: rateLimits.guard, staffRights },
        { token: bearerToken(req.headers.authorization), correlationId, clientIp: rateLimits.guard.clientIp(req) },
      );
    },
  });
  const web = {
    ...(options.webDistDir ? { distDir: options.webDistDir } : {}),
    // The development sign-in mints tokens: it must not exist in production.
    ...(config.production ? {} : { devSignIn: devSignIn(config.jwt) }),
  };
  const app = createHttpApp(graphql, {
    instanceId: config.instanceId,
    async unavailable() {
      const down: string[] = [];
      if (!(await pingMongo(connection))) down.push('mongodb');
      if (fanout && fanout.publisher.status !== 'ready') down.push('redis');
      return down;
    },
  }, { ...web, allowedOrigins: config.allowedOrigins });
  httpServer.on('request', app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  log.info({ action: 'listening', port }, `Warden listening on http://localhost:${port}/graphql`);
  const metricsServer: MetricsServer | null =
    config.metricsPort === null ? null : await startMetricsServer(metrics, config.metricsPort, log);

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    httpServer,
    connection,
    services,
    registry,
    channels,
    presence,
    operations: operationLimits,
    webhooks,
    metrics,
    metricsPort: metricsServer?.port ?? null,
    log,
    sweepSessions: () => safetyNets.sweepSessions(),
    reconcileExpiries: () => safetyNets.reconcileExpiries(),
    flushAudit: (timeoutMs) => audit.flush(timeoutMs),
    async stop() {
      safetyNets.stop();
      await metricsServer?.close();
      await webhooks.stop();
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
