import { setTimeout as sleep } from 'node:timers/promises';
import { closeMongo, connectMongo } from '../../infrastructure/mongo/connection';
import { createLogger } from '../../infrastructure/logging/logger';
import { startInstance, type InstanceProcess } from '../../test/multi/support/instance-process';
import { WebhookReceiver } from '../../test/operations/webhook-receiver';
import { startRedisServer, type RedisServer } from '../../infrastructure/services/redis-server';
import { startDedicatedServices, withDatabase, type DedicatedServices } from '../../test/support/test-env';
import { signToken } from '../../test/support/tokens';
import { ACCOUNT_STATUS_SUBSCRIPTION, RawGraphQLWs } from '../../test/support/ws-client';
import {
  KIND_OF_OPERATION,
  WEBHOOK_TYPE_OF_KIND,
  formatReport,
  newMemberModel,
  nextOperation,
  type MemberModel,
  type Operation,
  type Outcome,
  type SoakReport,
} from './soak-model';

export interface SoakOptions {
  /** How long operations run before the settle phase. */
  durationMs: number;
  /** Operations at least (the run goes on past `durationMs` until reached). */
  minOperations: number;
  /** Members operated on. @default 24 */
  members?: number;
  /** Operations in flight at once (each on another member). @default 12 */
  workers?: number;
  /** SESSION_SWEEP_INTERVAL_MS of the instances. @default 1_000 */
  sweepIntervalMs?: number;
  /** Longest settle phase (outbox relay, webhook retries, restarts). @default 75_000 */
  settleMs?: number;
  /**
   * A MongoDB server URI (no database) to use instead of starting one: a test run's
   * shared server. @default a server of its own
   */
  mongoServerUri?: string;
  /** Progress lines. @default console.log */
  log?: (line: string) => void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers, read by the checks below
type Answer = Record<string, any>;

const INSTANCES = 3;
/** Error codes that refuse a request before anything is written. */
const REFUSALS = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'ACCOUNT_BLOCKED', 'ACTION_RESTRICTED', 'RATE_LIMITED', 'UNAUTHENTICATED', 'BAD_REQUEST']);
/** A loaded 2-core machine: scheduling slack on top of the sweep interval. */
const CLOSE_SLACK_MS = 2_000;
const REQUEST_TIMEOUT_MS = 10_000;
const WEBHOOK_SECRET = 'soak-webhook-secret';
const ADMIN = 'soak-admin';

/**
 * The chaos soak: three Warden processes, one Redis and one MongoDB-compatible server of
 * its own (loopback only), a webhook receiver, and members under randomized block, unblock,
 * restrict, lift, force-disconnect and reconnect operations while Redis is stopped and
 * restarted and instances are SIGKILLed and restarted. Then it checks what must hold.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const sweepIntervalMs = options.sweepIntervalMs ?? 1_000;
  const closeBoundMs = sweepIntervalMs + CLOSE_SLACK_MS;
  const random = Math.random;
  const setupStarted = Date.now();
  /** When operations began (after the instances and members are set up). */
  let started = Date.now();
  const chaos: string[] = [];
  const byOperation: SoakReport['byOperation'] = {};
  const openSocketsOfBlocked: string[] = [];
  let maxCloseLagMs = 0;
  let operations = 0;

  // Redis is always its own (it is stopped and restarted); the store may be shared.
  const owned: DedicatedServices | null = options.mongoServerUri ? null : await startDedicatedServices();
  const redis: RedisServer | DedicatedServices['redis'] = owned ? owned.redis : await startRedisServer();
  const services = { redis, mongo: { uri: options.mongoServerUri ?? owned!.mongo.uri } };
  const receiver = await WebhookReceiver.start();
  const instances: (InstanceProcess | null)[] = [];
  /** The instances' first log lines about webhooks, for a run that does not settle. */
  const webhookLines: string[] = [];
  const prefix = `soak${Date.now().toString(36)}:`;
  const mongoUri = withDatabase(services.mongo.uri, `warden_test_soak_${Date.now().toString(36)}`);
  const start = (index: number) =>
    startInstance({
      instanceId: `soak-${index + 1}`,
      mongoUri,
      redisUrl: services.redis.url,
      redisPrefix: prefix,
      sweepIntervalMs,
      readyTimeoutMs: 60_000,
      onOutput: (chunk) => {
        for (const line of chunk.split('\n')) if (line.includes('webhook') && webhookLines.length < 20) webhookLines.push(line.slice(0, 300));
      },
      env: {
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET,
        WEBHOOK_RETRY_BASE_MS: '200',
        RATE_LIMIT_MEMBER_MUTATIONS: '0',
        RATE_LIMIT_CONNECTION_INITS: '0',
        RATE_LIMIT_FAILED_AUTHS: '0',
        AUTO_BLOCK_OFFENCES: '0',
      },
    });
  /** Starts instance `index` again; a start that fails on a loaded machine is retried. */
  const restart = async (index: number): Promise<InstanceProcess> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await start(index);
      } catch (error) {
        if (attempt >= 5) throw error;
        log(`soak: soak-${index + 1} did not start; retrying. ${error instanceof Error ? error.message.slice(-1_500) : String(error)}`);
        await sleep(1_000);
      }
    }
  };
  const live = () => instances.filter((instance): instance is InstanceProcess => instance !== null && !instance.hasExited);
  const anyLive = async (): Promise<InstanceProcess> => {
    for (;;) {
      const up = live();
      if (up.length > 0) return up[Math.floor(random() * up.length)]!;
      await sleep(100);
    }
  };
  const tokens = new Map<string, string>();
  const tokenOf = async (sub: string, admin = false) => {
    let token = tokens.get(sub);
    if (!token) tokens.set(sub, (token = await signToken({ sub, admin, expiresIn: 4 * 3600 })));
    return token;
  };
  const call = async (
    sub: string,
    query: string,
    variables: Record<string, unknown>,
    admin = false,
    on?: InstanceProcess,
  ): Promise<{ outcome: Outcome; data?: Answer }> => {
    const instance = on ?? (await anyLive());
    try {
      const response = await fetch(instance.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(sub, admin)}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = (await response.json()) as { data?: Answer; errors?: { extensions?: { code?: string } }[] };
      const code = body.errors?.[0]?.extensions?.code;
      if (!code && body.data) return { outcome: 'ok', data: body.data };
      // Only a refusal of the request itself says nothing was written; a TIMEOUT (the
      // deadline passed while the write went on) or an internal error says nothing either way.
      return { outcome: code && REFUSALS.has(code) ? 'refused' : 'unknown' };
    } catch {
      return { outcome: 'unknown' };
    }
  };

  const members: MemberModel[] = [];
  let stopping = false;
  let checker: NodeJS.Timeout | undefined;
  try {
    for (let index = 0; index < INSTANCES; index++) instances.push(null);
    const first = await Promise.all(Array.from({ length: INSTANCES }, (_, index) => start(index)));
    first.forEach((instance, index) => (instances[index] = instance));
    log(`soak: ${INSTANCES} instances up (ports ${first.map((instance) => instance.port).join(', ')}), sweep ${sweepIntervalMs} ms`);
    for (let index = 0; index < (options.members ?? 24); index++) {
      const sub = `soak-member-${index}`;
      const me = await call(sub, '{ me { id } }', {});
      if (me.outcome !== 'ok') throw new Error(`cannot provision ${sub}`);
      members.push(newMemberModel(sub, me.data!.me.id as string));
    }
    await call(ADMIN, '{ me { id } }', {}, true);
    started = Date.now();

    // Blocked members' sockets, checked four times a second against the bound.
    checker = setInterval(() => {
      const now = Date.now();
      for (const member of members) {
        if (member.busy || member.blocked !== true || member.reportedBlockAt === member.blockedAt) continue;
        if (member.socket?.isOpen && now - member.blockedAt > closeBoundMs) {
          member.reportedBlockAt = member.blockedAt;
          openSocketsOfBlocked.push(`${member.sub} open ${now - member.blockedAt} ms after its block`);
        }
      }
    }, 250);

    const connect = async (member: MemberModel): Promise<Outcome> => {
      member.socket?.terminate();
      member.socket = null;
      const instance = await anyLive();
      try {
        const { client, acked } = await RawGraphQLWs.connect(instance.url, await tokenOf(member.sub));
        if (!acked) {
          const closed = await client.waitClosed(5_000).catch(() => null);
          return closed?.code === 4403 && member.blocked !== false ? 'refused' : 'unknown';
        }
        if (member.blocked === true) openSocketsOfBlocked.push(`${member.sub} was let in while blocked`);
        client.subscribe('status', ACCOUNT_STATUS_SUBSCRIPTION);
        member.socket = client;
        const openedAt = Date.now();
        void client.closed.then(() => {
          if (member.blocked === true && member.blockedAt >= openedAt) {
            maxCloseLagMs = Math.max(maxCloseLagMs, Date.now() - member.blockedAt);
          }
        });
        return 'ok';
      } catch {
        return 'unknown';
      }
    };

    const run = async (member: MemberModel, operation: Operation): Promise<Outcome> => {
      const kind = KIND_OF_OPERATION[operation];
      let outcome: Outcome;
      switch (operation) {
        case 'block': {
          outcome = (
            await call(
              ADMIN,
              `mutation($input: BlockUserInput!) { blockUser(input: $input) { id } }`,
              { input: { userId: member.id, reason: 'POLICY_VIOLATION', duration: 'DAYS_7', userMessage: 'Soak block' } },
              true,
            )
          ).outcome;
          if (outcome === 'ok') {
            member.blocked = true;
            // From the answer: the block is stored by then, and the sweep bound runs from there.
            member.blockedAt = Date.now();
          }
          break;
        }
        case 'unblock':
          outcome = (
            await call(ADMIN, `mutation($input: UnblockUserInput!) { unblockUser(input: $input) { id } }`, {
              input: { userId: member.id, reason: 'Soak unblock' },
            }, true)
          ).outcome;
          if (outcome === 'ok') member.blocked = false;
          break;
        case 'restrict': {
          const answer = await call(
            ADMIN,
            `mutation($input: RestrictUserInput!) { restrictUser(input: $input) { accountStatus { restrictions { id } } } }`,
            { input: { userId: member.id, actions: ['SEND_MESSAGE'], reason: 'OTHER', duration: 'DAYS_7', userMessage: 'Soak restriction' } },
            true,
          );
          outcome = answer.outcome;
          if (outcome === 'ok') {
            member.restrictionIds = (answer.data!.restrictUser.accountStatus.restrictions as { id: string }[]).map((r) => r.id);
          }
          break;
        }
        case 'lift': {
          const answer = await call(
            ADMIN,
            `mutation($input: LiftRestrictionInput!) { liftRestriction(input: $input) { accountStatus { restrictions { id } } } }`,
            { input: { restrictionId: member.restrictionIds[0], reason: 'Soak lift' } },
            true,
          );
          outcome = answer.outcome;
          if (outcome === 'ok') {
            member.restrictionIds = (answer.data!.liftRestriction.accountStatus.restrictions as { id: string }[]).map((r) => r.id);
          }
          break;
        }
        case 'forceDisconnect':
          outcome = (
            await call(ADMIN, `mutation($id: ID!) { forceDisconnect(userId: $id, reason: "Soak") }`, { id: member.id }, true)
          ).outcome;
          break;
        case 'reconnect':
          outcome = await connect(member);
          break;
        case 'resync': {
          const answer = await call(
            ADMIN,
            `query($id: ID!) { user(id: $id) { isBlocked accountStatus { blockedAt restrictions { id } } } }`,
            { id: member.id },
            true,
          );
          outcome = answer.outcome;
          if (outcome === 'ok') {
            const user = answer.data!.user;
            member.blocked = user.isBlocked as boolean;
            if (member.blocked) member.blockedAt = Date.parse(user.accountStatus.blockedAt as string);
            member.restrictionIds = (user.accountStatus.restrictions as { id: string }[]).map((r) => r.id);
          }
          break;
        }
      }
      if (kind && outcome === 'ok') member.expected[kind]!.ok++;
      if (kind && outcome === 'unknown') {
        member.expected[kind]!.unknown++;
        member.blocked = null;
      }
      if (operation !== 'resync' && outcome === 'unknown' && !kind) member.blocked = member.blocked ?? null;
      byOperation[operation] ??= { ok: 0, refused: 0, unknown: 0 };
      byOperation[operation]![outcome]++;
      operations++;
      return outcome;
    };

    // Chaos: SIGKILL and restart an instance, stop and restart Redis, in turns at random
    // moments; operations go on until each has happened at least once.
    let killed = false;
    let redisCycled = false;
    const chaosLoop = (async () => {
      for (let round = 0; !stopping; round++) {
        await sleep(options.durationMs * (0.15 + random() * 0.15));
        if (stopping) break;
        const at = `${((Date.now() - started) / 1000).toFixed(1)} s`;
        if (round % 2 === 0) {
          const index = Math.floor(random() * INSTANCES);
          const victim = instances[index];
          if (!victim || victim.hasExited) continue;
          victim.kill('SIGKILL');
          await victim.exited;
          instances[index] = null;
          chaos.push(`${at}: SIGKILL soak-${index + 1}`);
          log(`soak: ${at} SIGKILLed soak-${index + 1}`);
          await sleep(1_000 + random() * 2_000);
          killed = true;
          try {
            instances[index] = await restart(index);
            log(`soak: soak-${index + 1} restarted`);
          } catch (error) {
            // Reported (the standings check needs every instance) and the run goes on.
            chaos.push(`soak-${index + 1} did not restart: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
            log(`soak: soak-${index + 1} did not restart`);
          }
        } else {
          await services.redis.stop();
          chaos.push(`${at}: Redis stopped`);
          log(`soak: ${at} Redis stopped`);
          await sleep(2_000 + random() * 3_000);
          await services.redis.start();
          log('soak: Redis restarted');
          redisCycled = true;
        }
      }
    })();

    const workers = Array.from({ length: options.workers ?? 12 }, async () => {
      while (Date.now() - started < options.durationMs || operations < options.minOperations || !killed || !redisCycled) {
        const idle = members.filter((member) => !member.busy);
        const member = idle[Math.floor(random() * idle.length)];
        if (!member) {
          await sleep(10);
          continue;
        }
        member.busy = true;
        try {
          const outcome = await run(member, nextOperation(member, random));
          if (outcome === 'unknown') await sleep(100);
        } finally {
          member.busy = false;
        }
        if (operations % 200 === 0) log(`soak: ${operations} operations`);
      }
    });
    await Promise.all(workers);
    stopping = true;
    await chaosLoop;
    log(`soak: ${operations} operations done; settling`);

    // Settle: every instance up, every member's standing known, then wait for the store's
    // safety nets (outbox relay, webhook retries and leases) to finish.
    for (let index = 0; index < INSTANCES; index++) {
      if (instances[index] && !instances[index]!.hasExited) continue;
      instances[index] = await restart(index).catch(() => null);
    }
    for (const member of members) {
      while (member.blocked === null) await run(member, 'resync');
      await run(member, 'resync');
    }
    const deadline = Date.now() + (options.settleMs ?? 75_000);
    let verdict = await check();
    while (!verdict.settled && Date.now() < deadline) {
      await sleep(1_000);
      verdict = await check();
    }
    clearInterval(checker);
    const queue = await webhookQueueState();
    if (!verdict.settled) log(`soak: webhook queue at the end: ${queue}\n${webhookLines.join('\n')}`);
    const report: SoakReport = {
      elapsedMs: Date.now() - setupStarted,
      operations,
      byOperation,
      chaos,
      maxCloseLagMs,
      closeBoundMs,
      violations: { openSocketsOfBlocked, ...verdict.violations },
      webhooksReceived: receiver.received.length,
      webhooksUndelivered: verdict.undelivered,
      ok: false,
    };
    report.ok = Object.values(report.violations).every((found) => found.length === 0);
    log(formatReport(report));
    return report;
  } finally {
    stopping = true;
    clearInterval(checker);
    for (const member of members) member.socket?.terminate();
    await Promise.all(live().map((instance) => instance.stop()));
    await receiver.stop();
    await (owned ? owned.dispose() : redis.dispose());
  }

  /** Bodies of the webhook deliveries not acknowledged yet (pending, in flight or dead). */
  async function undeliveredBodies(): Promise<string[]> {
    const connection = await connectMongo(mongoUri, createLogger('soak'));
    try {
      const docs = await connection.db!.collection('webhook_deliveries').find({ state: { $ne: 'delivered' } }).toArray();
      return docs.map((doc) => String(doc.body));
    } finally {
      await closeMongo(connection);
    }
  }

  /** The webhook queue by state, with the last errors seen (to tell a slow queue from a lost event). */
  async function webhookQueueState(): Promise<string> {
    const connection = await connectMongo(mongoUri, createLogger('soak'));
    try {
      const rows = await connection.db!.collection('webhook_deliveries').aggregate<{ _id: string; count: number; errors: string[]; attempts: number }>([
        { $group: { _id: '$state', count: { $sum: 1 }, errors: { $addToSet: '$lastError' }, attempts: { $max: '$attempts' } } },
      ]).toArray();
      return rows.map((row) => `${row._id} ${row.count} (max tries ${row.attempts}; ${row.errors.filter(Boolean).slice(0, 3).join(', ')})`).join('; ');
    } finally {
      await closeMongo(connection);
    }
  }

  /** The end-state checks; `settled` once nothing is pending any more. */
  async function check(): Promise<{
    settled: boolean;
    undelivered: number;
    violations: Omit<SoakReport['violations'], 'openSocketsOfBlocked'>;
  }> {
    const historyLost: string[] = [];
    const historyDuplicated: string[] = [];
    const webhooksLost: string[] = [];
    const standingMismatch: string[] = [];
    const webhooks = new Map<string, { type: string; userId: string }>();
    for (const request of receiver.received) {
      webhooks.set(request.json.id, { type: request.json.type, userId: String(request.json.data.userId) });
    }
    // Queued and not yet acknowledged: durable, so not lost, but the run is not settled.
    const queued = new Map<string, { type: string; userId: string }>();
    for (const body of await undeliveredBodies()) {
      const event = JSON.parse(body) as { id: string; type: string; data: { userId: string } };
      if (!webhooks.has(event.id)) queued.set(event.id, { type: event.type, userId: String(event.data.userId) });
    }
    for (const member of members) {
      const standings = await Promise.all(
        live().map((instance) =>
          call(ADMIN, `query($id: ID!) { user(id: $id) { isBlocked accountStatus { state restrictions { id } } blockHistory { kind } } }`, { id: member.id }, true, instance),
        ),
      );
      const answered = standings.filter((standing) => standing.outcome === 'ok').map((standing) => standing.data!.user);
      const shapes = new Set(answered.map((user) => JSON.stringify({ isBlocked: user.isBlocked, status: user.accountStatus })));
      if (answered.length < INSTANCES || shapes.size !== 1) standingMismatch.push(`${member.sub}: ${[...shapes].join(' ≠ ')}`);
      const first = answered[0];
      if (!first) continue;
      if (member.blocked !== null && first.isBlocked !== member.blocked) {
        standingMismatch.push(`${member.sub}: blocked ${first.isBlocked}, expected ${member.blocked}`);
      }
      const history = new Map<string, number>();
      for (const entry of first.blockHistory as { kind: string }[]) history.set(entry.kind, (history.get(entry.kind) ?? 0) + 1);
      for (const [kind, expected] of Object.entries(member.expected)) {
        const stored = history.get(kind) ?? 0;
        if (stored < expected.ok) historyLost.push(`${member.sub} ${kind}: ${stored} stored, ${expected.ok} succeeded`);
        if (stored > expected.ok + expected.unknown) {
          historyDuplicated.push(`${member.sub} ${kind}: ${stored} stored, ${expected.ok} succeeded + ${expected.unknown} unanswered`);
        }
        const type = WEBHOOK_TYPE_OF_KIND[kind]!;
        const sent = [...webhooks.values()].filter((hook) => hook.userId === member.id && hook.type === type).length;
        const waiting = [...queued.values()].filter((hook) => hook.userId === member.id && hook.type === type).length;
        if (sent + waiting < stored) webhooksLost.push(`${member.sub} ${type}: ${sent} webhooks and ${waiting} queued for ${stored} entries`);
      }
    }
    const violations = { historyLost, historyDuplicated, webhooksLost, standingMismatch };
    return { settled: queued.size === 0 && Object.values(violations).every((found) => found.length === 0), violations, undelivered: queued.size };
  }
}
