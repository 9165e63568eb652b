import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Who caused a moderation action: the actor's role, or the system. */
export type ModerationSource = 'admin' | 'moderator' | 'automated';

/** The moderation actions counted by source. */
export type ModerationAction = 'block' | 'unblock' | 'restrict' | 'lift' | 'force_disconnect';

/** What the gauges read at scrape time; each may be missing (that gauge then stays unset). */
export interface MetricsProbes {
  /** Live sockets on this instance. */
  openSockets?(): number;
  /** Live subscriptions on this instance by root field name. */
  subscriptions?(): Record<string, number>;
  /** Saved events not yet published (capped by the probe), and the age in ms of the oldest. */
  outbox?(): Promise<{ backlog: number; oldestAgeMs: number }>;
  mongoUp?(): Promise<boolean>;
  /** null: no Redis configured (in-process pub/sub); the gauge is then absent. */
  redisUp?(): boolean | null;
  /** Webhook deliveries waiting (pending or in flight) and dead-lettered. */
  webhooks?(): Promise<{ pending: number; dead: number }>;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every Warden metric, on one registry per instance (tests run several instances in one
 * process). Names start with `warden_`; label values come from closed sets (codes, root
 * field names, sources), never from user ids, so the series count is bounded.
 */
export class WardenMetrics {
  readonly registry = new Registry();
  private readonly moderationActions: Counter<'action' | 'source'>;
  private readonly terminationSeconds: Histogram;
  private readonly refusals: Counter<'code'>;
  private readonly rateLimitHits: Counter<'limit'>;
  private readonly httpDuration: Histogram<'operation'>;
  private readonly webhookAttempts: Counter<'outcome'>;

  constructor(instanceId: string, probes: MetricsProbes = {}) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ instance: instanceId });
    collectDefaultMetrics({ register: this.registry, prefix: 'warden_' });

    new Gauge({
      name: 'warden_websocket_connections',
      help: 'Open graphql-ws sockets on this instance.',
      registers,
      collect() {
        if (probes.openSockets) this.set(probes.openSockets());
      },
    });
    new Gauge({
      name: 'warden_active_subscriptions',
      help: 'Live subscriptions on this instance, by root field.',
      labelNames: ['name'],
      registers,
      collect() {
        this.reset();
        for (const [name, count] of Object.entries(probes.subscriptions?.() ?? {})) this.set({ name }, count);
      },
    });
    this.moderationActions = new Counter({
      name: 'warden_moderation_actions_total',
      help: 'Blocks, unblocks, restrictions, lifts and force-disconnects made through this instance, by source.',
      labelNames: ['action', 'source'],
      registers,
    });
    this.terminationSeconds = new Histogram({
      name: 'warden_block_termination_seconds',
      help: 'From a BLOCKED status signal received to the last local socket of the member closed.',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.refusals = new Counter({
      name: 'warden_refusals_total',
      help: 'Errors sent to clients and WebSocket connections refused, by code (extensions.code or close code).',
      labelNames: ['code'],
      registers,
    });
    this.rateLimitHits = new Counter({
      name: 'warden_rate_limit_hits_total',
      help: 'Requests and connections refused by a rate limit, by limit.',
      labelNames: ['limit'],
      registers,
    });
    const outbox = probes.outbox;
    const backlog = new Gauge({ name: 'warden_outbox_backlog', help: 'Saved events not yet published.', registers });
    new Gauge({
      name: 'warden_outbox_oldest_age_seconds',
      help: 'Age of the oldest saved event not yet published; 0 when none.',
      registers,
      async collect() {
        if (!outbox) return;
        try {
          const read = await outbox();
          backlog.set(read.backlog);
          this.set(read.oldestAgeMs / 1000);
        } catch {
          // MongoDB down: warden_mongodb_up says so; the last values stay.
        }
      },
    });
    new Gauge({
      name: 'warden_mongodb_up',
      help: '1 while MongoDB answers a ping, else 0.',
      registers,
      async collect() {
        if (probes.mongoUp) this.set((await probes.mongoUp().catch(() => false)) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'warden_redis_up',
      help: '1 while the Redis connection is ready, else 0 (absent without Redis).',
      registers,
      collect() {
        const up = probes.redisUp?.();
        if (up !== null && up !== undefined) this.set(up ? 1 : 0);
      },
    });
    this.httpDuration = new Histogram({
      name: 'warden_http_request_duration_seconds',
      help: 'GraphQL over HTTP, from request to response, by operation (its first root field).',
      labelNames: ['operation'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'warden_webhook_attempts_total',
      help: 'Webhook POSTs made by this instance, by outcome (delivered, failed, dead).',
      labelNames: ['outcome'],
      registers,
    });
    const webhooks = probes.webhooks;
    const dead = new Gauge({ name: 'warden_webhook_dead_letters', help: 'Webhook deliveries given up on.', registers });
    new Gauge({
      name: 'warden_webhook_queue',
      help: 'Webhook deliveries waiting or in flight.',
      registers,
      async collect() {
        if (!webhooks) return;
        try {
          const read = await webhooks();
          dead.set(read.dead);
          this.set(read.pending);
        } catch {
          // MongoDB down: the last values stay.
        }
      },
    });
  }

  moderationAction(action: ModerationAction, source: ModerationSource): void {
    this.moderationActions.inc({ action, source });
  }

  blockTermination(seconds: number): void {
    this.terminationSeconds.observe(seconds);
  }

  refusal(code: string | number): void {
    this.refusals.inc({ code: String(code) });
  }

  rateLimitHit(limit: string): void {
    this.rateLimitHits.inc({ limit });
  }

  httpRequest(operation: string, seconds: number): void {
    this.httpDuration.observe({ operation }, seconds);
  }

  webhookAttempt(outcome: 'delivered' | 'failed' | 'dead'): void {
    this.webhookAttempts.inc({ outcome });
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
