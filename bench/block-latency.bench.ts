/**
 * Block latency and idle-socket memory, across two Warden processes on one Redis.
 *
 *   npm run bench:block -- [--sockets 10000] [--rounds 200] [--concurrency 32]
 *                          [--per-member 4] [--sweep-ms 5000] [--victim-sockets 5]
 *                          [--instances 2]      (e.g. --sockets 50000 --instances 3)
 *   BENCH_LOG_LEVEL=info also keeps the instances' refused-connection lines.
 *   BENCH_NODE_FLAGS adds Node flags to the instances (e.g. --max-semi-space-size=2); the
 *   instances' own settings (COMPACT_FRAGMENTED_HEAP=false, …) pass through the environment.
 *
 * Idle sockets each send their own X-Forwarded-For (instances trust one proxy hop), so the
 * per-IP connection_init limit stays on without refusing the bench. Before each block the
 * round's 5 sockets prove their subscription is registered (a messageAdded probe).
 *
 * 1. Starts MongoDB and Redis the way the test harness does (MONGODB_URI / REDIS_URL when
 *    set, else a spawned server), then --instances instance processes.
 * 2. Seeds the idle members in bulk, then opens --sockets idle authenticated graphql-ws
 *    connections, each with an `accountStatus` subscription, spread over the instances
 *    (--per-member sockets per member), --concurrency at a time, from holder processes
 *    of at most 15,000 sockets each (the open-files limit is per process).
 * 3. --rounds times: a fresh member opens 5 sockets over both instances, an admin blocks
 *    it over HTTP, and the time from sending `blockUser` to the last of the 5 sockets
 *    closing is recorded.
 * 4. Measures, in the same run, the floors the latency is compared with: the store's own
 *    conditional update by `_id` (on as many documents as there are members), Redis
 *    PUBLISH → receive, and the store's own cost of the three commands a block makes before
 *    its publish, issued by a bare client (what Warden adds is the latency less that).
 * Prints p50/p99/max, where the time goes, and resident memory per idle subscribed socket
 * ((VmRSS after opening − before) / sockets on that instance). Targets (not asserted):
 * p50 ≤ store floor p50 + 5 ms, p99 ≤ 25 ms, ≤ 12 KiB per idle socket. Stops everything
 * it started.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { mongo } from 'mongoose';
import { resolveMongo, type ResolvedMongo } from '../infrastructure/services/resolve-mongo';
import { resolveRedis, type ResolvedRedis } from '../infrastructure/services/resolve-redis';
import type { ServiceLog } from '../infrastructure/services/service-log';
import { startInstances, stopAllInstances, type InstanceProcess } from '../test/multi/support/instance-process';
import { signToken } from '../test/support/tokens';
import { redisFloor, spread, storeFloor, storePathFloor, type Spread } from './support/floors';
import { openIdleSockets, SOCKETS_PER_HOLDER, type IdleSockets } from './support/idle-sockets';
import { isEmfile, openWithRetry, type LeanSocket } from './support/lean-client';
import { loadAverage, machineDescription, openFilesLimit } from './support/machine';
import { runAsMain } from './support/run-as-main';
import { seedMembers } from './support/seed-members';
import { withDatabase } from '../test/support/test-env';

// ── Options ─────────────────────────────────────────────────────────────────────────
export interface BlockBenchOptions {
  sockets: number;
  rounds: number;
  concurrency: number;
  perMember: number;
  sweepMs: number;
  /** Sockets of each blocked member. */
  victimSockets: number;
  /** Instance processes the sockets are spread over. */
  instances: number;
}

export const DEFAULTS: BlockBenchOptions = {
  sockets: 10_000,
  rounds: 200,
  concurrency: 32,
  perMember: 4,
  sweepMs: 5_000,
  victimSockets: 5,
  instances: 2,
};

export function parseArgs(argv: readonly string[], defaults: BlockBenchOptions = DEFAULTS): BlockBenchOptions {
  const options = { ...defaults };
  const names: Record<string, keyof BlockBenchOptions> = {
    '--sockets': 'sockets',
    '--rounds': 'rounds',
    '--concurrency': 'concurrency',
    '--per-member': 'perMember',
    '--sweep-ms': 'sweepMs',
    '--victim-sockets': 'victimSockets',
    '--instances': 'instances',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const key = names[flag];
    if (!key) throw new Error(`unknown option ${flag}; known: ${Object.keys(names).join(' ')}`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (key === 'sockets' ? 0 : 1)) throw new Error(`${flag} needs a positive integer, got ${raw}`);
    options[key] = value;
  }
  return options;
}

// ── Figures ─────────────────────────────────────────────────────────────────────────
const summary = spread;

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');

// ── The bench ───────────────────────────────────────────────────────────────────────
export interface BlockBenchResult {
  latency: Spread;
  bytesPerSocket: number[];
  storeFloor: Spread;
  redisFloor: Spread;
  /** The store's own cost of the three commands a block makes before its publish. */
  storePath: Spread;
}

const serviceLog: ServiceLog = {
  info: (message) => console.log(`  [services] ${message}`),
  warn: (message) => console.log(`  [services] warning: ${message}`),
};

const BLOCK_USER = `mutation Block($input: BlockUserInput!) { blockUser(input: $input) { id accountStatus { state } } }`;

export async function runBlockBench(options: BlockBenchOptions): Promise<BlockBenchResult | null> {
  console.log(`block-latency bench: ${JSON.stringify(options)}`);
  console.log(`machine: ${machineDescription()}`);
  console.log(`open files limit (ulimit -n): ${openFilesLimit()}`);
  console.log(`load average at start: ${loadAverage()}`);

  const run = randomBytes(3).toString('hex');
  let idle: IdleSockets | undefined;
  const roundSockets: LeanSocket[] = [];
  let mongoServer: ResolvedMongo | undefined;
  let redisServer: ResolvedRedis | undefined;
  let database: string | undefined;
  let cleanedUp = false;
  /** The instances' first warnings, errors and refused connections. */
  const notable: string[] = [];
  /** Each instance's V8 heap after its last full collection (its "memory" log line). */
  const heapUsed: (number | null)[] = Array.from({ length: options.instances }, () => null);
  const heapTotal: (number | null)[] = Array.from({ length: options.instances }, () => null);
  /** Each instance's longest forced full collection (the bench's own, not the rounds'). */
  const fullGcMs: (number | null)[] = Array.from({ length: options.instances }, () => null);
  /** Each instance's longest full collection V8 started by itself (its pause). */
  const longestMajorGcMs: (number | null)[] = Array.from({ length: options.instances }, () => null);

  const cleanup = async () => {
    if (cleanedUp) return;
    cleanedUp = true;
    for (const socket of roundSockets) socket.ws.terminate();
    await idle?.stop();
    await stopAllInstances(5_000).catch(() => undefined);
    if (mongoServer?.kind === 'external' && database) await dropDatabase(mongoServer.uri, database);
    await Promise.allSettled([mongoServer?.stop(), redisServer?.stop()]);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping everything the bench started…`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    [mongoServer, redisServer] = await Promise.all([
      resolveMongo(serviceLog),
      resolveRedis(serviceLog, { allowInProcess: false }),
    ]);
    database = `warden_bench_${run}`;
    const mongoUri = withDatabase(mongoServer.uri, database);
    const instances = await startInstances(
      Array.from({ length: options.instances }, (_, i) => i + 1).map((n) => ({
        instanceId: `bench-${n}`,
        mongoUri,
        redisUrl: redisServer!.url,
        redisPrefix: `bench_${run}:`,
        sweepIntervalMs: options.sweepMs,
        readyTimeoutMs: 60_000,
        env: { TRUSTED_PROXY_HOPS: '1', NODE_OPTIONS: `--expose-gc ${process.env.BENCH_NODE_FLAGS ?? ''}` },
        // BENCH_LOG_LEVEL=info shows why a connection was refused (in the output tail on failure).
        logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
        onOutput: (chunk: string) => {
          for (const line of chunk.split('\n')) {
            const memory = memoryLine(line);
            if (memory) {
              heapUsed[n - 1] = memory.heapUsed;
              heapTotal[n - 1] = memory.heapTotal;
              fullGcMs[n - 1] = Math.max(fullGcMs[n - 1] ?? 0, memory.gcMs);
              longestMajorGcMs[n - 1] = memory.longestMajorGcMs;
            }
            if (/"level":[4-6]0|connection-refused/.test(line) && notable.length < 20) notable.push(line.slice(0, 1_000));
          }
        },
      })),
    );
    console.log(`instances: ${instances.map((i) => `${i.instanceId} pid ${i.pid} :${i.port}`).join(', ')}`);

    const adminToken = await signToken({ sub: `bench-admin-${run}`, admin: true, expiresIn: 24 * 3600 });
    const post = async (url: string, query: string, variables: Record<string, unknown>) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: any; errors?: any[] };
    };
    const me = await post(instances[0]!.url, '{ me { id } }', {});
    if (!me.data?.me?.id) throw new Error(`admin not provisioned: ${JSON.stringify(me)}`);

    // Warm-up: code paths, JIT and pools get allocated now, not during the RSS window.
    for (let i = 0; i < 5; i++) await blockRound(instances, post, `warm${i}-${run}`, options.victimSockets, roundSockets);
    const rssBefore = await quietRss(instances, 5_000);
    const heapBefore = [...heapUsed];
    const committedBefore = [...heapTotal];
    const members = Math.ceil(options.sockets / options.perMember);
    const seeded = performance.now();
    await seedMembers(mongoUri, Array.from({ length: members }, (_, m) => `idle-${run}-${m}`));
    console.log(`seeded ${members} members in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    const opened = performance.now();
    let lastReport = performance.now();
    try {
      idle = await openIdleSockets({
        urls: instances.map((instance) => instance.url),
        run,
        sockets: options.sockets,
        perMember: options.perMember,
        concurrency: options.concurrency,
        onProgress(count) {
          if (performance.now() - lastReport < 5_000) return;
          lastReport = performance.now();
          console.log(`  … ${count}/${options.sockets} idle sockets open`);
        },
      });
    } catch (err) {
      if (isEmfile(err)) {
        console.error(
          `\nEMFILE: a holder of idle sockets ran out of file descriptors (open files limit ${openFilesLimit()}; ` +
            `each holder opens at most ${SOCKETS_PER_HOLDER}). Raise the limit in the shell first (\`ulimit -n 65536\`) or run with fewer --sockets.`,
        );
        return null;
      }
      // An instance out of descriptors stops accepting (its listen 'error' goes unheard), so
      // the client only sees a timeout: compare each instance's open descriptors to its limit.
      const exhausted = instances.filter((instance) => {
        const fds = descriptorUse(instance.pid);
        return /EMFILE|ENFILE/.test(instance.outputTail()) || (fds !== null && fds.open >= fds.limit - 16);
      });
      if (exhausted.length > 0) {
        console.error(
          `\nEMFILE: ${exhausted.map((i) => `${i.instanceId} (${JSON.stringify(descriptorUse(i.pid))})`).join(', ')} ` +
            `ran out of file descriptors. Raise \`ulimit -n\` in the shell that runs the bench, use more --instances, or lower --sockets.`,
        );
        return null;
      }
      console.error(`descriptors in use: ${instances.map((i) => `${i.instanceId} ${JSON.stringify(descriptorUse(i.pid))}`).join(', ')}`);
      console.error(`instances' warnings and refusals:\n${notable.join('\n')}`);
      throw err;
    }
    const perInstance = idle.perInstance;
    const openSeconds = (performance.now() - opened) / 1000;
    console.log(
      `opened ${options.sockets} idle subscribed sockets (${members} members) in ${openSeconds.toFixed(1)} s ` +
        `(${(options.sockets / openSeconds).toFixed(0)}/s) from ${Math.ceil(options.sockets / SOCKETS_PER_HOLDER)} holder process(es): ${perInstance.join(' + ')}` +
        (idle.retried ? `; ${idle.retried} attempts refused with 1013 (MongoDB too slow) and retried` : ''),
    );
    const rssAfter = await quietRss(instances, 10_000);
    const bytesPerSocket = instances.map((_, i) =>
      rssBefore[i] != null && rssAfter[i] != null && perInstance[i]! > 0 ? ((rssAfter[i]! - rssBefore[i]!) * 1024) / perInstance[i]! : NaN,
    );
    const growthPerSocket = (before: (number | null)[], after: (number | null)[]) =>
      instances.map((_, i) => (before[i] != null && after[i] != null && perInstance[i]! > 0 ? (after[i]! - before[i]!) / perInstance[i]! : NaN));
    const heapPerSocket = growthPerSocket(heapBefore, heapUsed);
    const committedPerSocket = growthPerSocket(committedBefore, heapTotal);

    // Rounds.
    const totals: number[] = [];
    const toResponse: number[] = [];
    const toFirstEvent: number[] = [];
    const eventToClose: number[] = [];
    const toLastEventEachRound: number[] = [];
    const sameInstance: number[] = [];
    const otherInstance: number[] = [];
    const memberCount = members + 2 * options.rounds + 16;
    let missingEvents = 0;
    let badCodes = 0;
    const started = performance.now();
    for (let round = 0; round < options.rounds; round++) {
      const r = await blockRound(instances, post, `v${round}-${run}`, options.victimSockets, roundSockets);
      totals.push(r.total);
      toResponse.push(r.response);
      toFirstEvent.push(r.firstEvent);
      toLastEventEachRound.push(r.lastEvent);
      eventToClose.push(...r.eventToClose);
      sameInstance.push(r.lastCloseOn[0]);
      otherInstance.push(r.lastCloseOn[1]);
      missingEvents += r.missingEvents;
      badCodes += r.badCodes;
      if ((round + 1) % 50 === 0) console.log(`  … ${round + 1}/${options.rounds} rounds`);
    }
    const roundsSeconds = (performance.now() - started) / 1000;
    const restrictTotals: number[] = [];
    const restrictSame: number[] = [];
    const restrictOther: number[] = [];
    let restrictMissing = 0;
    for (let round = 0; round < options.rounds; round++) {
      const r = await restrictRound(instances, post, `r${round}-${run}`, options.victimSockets, roundSockets);
      restrictTotals.push(r.total);
      restrictSame.push(r.lastOn[0]);
      restrictOther.push(r.lastOn[1]);
      restrictMissing += r.missing;
      if ((round + 1) % 50 === 0) console.log(`  … ${round + 1}/${options.rounds} restrict rounds`);
    }
    const floorRuns = Math.max(200, options.rounds);
    const store = await storeFloor(mongoUri, memberCount, floorRuns);
    const redis = await redisFloor(redisServer.url, floorRuns);
    const storePath = await storePathFloor(mongoUri, memberCount, floorRuns);
    const { closed: idleClosed, codes: idleCloseCodes } = await idle.census();
    // One more memory line, so the GC pauses of the rounds are counted too.
    instances.forEach((instance) => instance.kill('SIGUSR2'));
    await sleep(1_000);

    const latency = summary(totals);
    const spreadLine = (name: string, s: Spread) => `  ${name.padEnd(44)} p50 ${ms(s.p50).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  max ${ms(s.max).padStart(9)}`;
    const line = (name: string, values: number[]) => spreadLine(name, summary(values));
    console.log(`load average after the rounds: ${loadAverage()}`);
    console.log(`\n── results (${options.rounds} rounds in ${roundsSeconds.toFixed(1)} s, ${options.sockets} idle sockets) ──`);
    console.log(line('blockUser sent → last of 5 sockets closed', totals));
    console.log(line('blockUser sent → HTTP response', toResponse));
    console.log(line('blockUser sent → first BLOCKED event', toFirstEvent));
    console.log(line('blockUser sent → last BLOCKED event', toLastEventEachRound));
    console.log(line('BLOCKED event → close, per socket', eventToClose));
    console.log(line('→ last close on the mutation\'s instance', sameInstance));
    console.log(line('→ last close on the other instances', otherInstance));
    console.log(line('restrictUser sent → last RESTRICTED pushed', restrictTotals));
    console.log(line('→ last RESTRICTED on the mutation\'s instance', restrictSame));
    console.log(line('→ last RESTRICTED on the other instances', restrictOther));
    if (restrictMissing) console.log(`  WARNING: ${restrictMissing} sockets never received RESTRICTED`);
    console.log(`${spreadLine('floor: store conditional update by _id', store)}  (${memberCount} documents, ${floorRuns} runs)`);
    console.log(spreadLine('floor: Redis PUBLISH → receive', redis));
    console.log(`${spreadLine("the store's own 3 commands of a block", storePath.total)}  (a bare client, the members collection's indexes)`);
    console.log(spreadLine('  read the caller by externalId', storePath.callerRead));
    console.log(spreadLine('  read the member by _id', storePath.memberRead));
    console.log(spreadLine('  conditional update: block, history, outbox', storePath.update));
    if (missingEvents || badCodes) console.log(`  WARNING: ${missingEvents} sockets closed without a BLOCKED event, ${badCodes} closed with a code other than 4403`);
    if (idleClosed) {
      console.log(`  WARNING: ${idleClosed} idle sockets closed during the run; codes: ${JSON.stringify(idleCloseCodes)}`);
      if (notable.length) console.log(`  instances' warnings:\n${notable.slice(0, 5).join('\n')}`);
    }
    console.log(`\nresident memory per idle subscribed socket ((VmRSS after − before) / sockets on the instance; lowest VmRSS over 5 s before, 10 s after):`);
    instances.forEach((instance, i) =>
      console.log(
        `  ${instance.instanceId}: ${fmtKiB(rssBefore[i])} → ${fmtKiB(rssAfter[i])} for ${perInstance[i]} sockets = ` +
          `${Number.isFinite(bytesPerSocket[i]!) ? (bytesPerSocket[i]! / 1024).toFixed(1) : 'n/a'} KiB/socket`,
      ),
    );
    const eachInstance = (title: string, values: (number | null)[], format: (value: number) => string) =>
      console.log(
        `${title}: ` +
          values.map((v, i) => `${instances[i]!.instanceId} ${v !== null && Number.isFinite(v) ? format(v) : 'n/a'}`).join(', '),
      );
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    eachInstance(
      "V8 heap used per idle subscribed socket, after full collections (the part RSS adds to it is V8's and malloc's spare pages)",
      heapPerSocket,
      kib,
    );
    eachInstance('V8 heap committed per idle subscribed socket (used, and pages V8 holds partly empty)', committedPerSocket, kib);
    eachInstance("longest forced full collection (the bench's own readings; atomic, so longer than V8's own)", fullGcMs, (v) => `${v.toFixed(0)} ms`);
    eachInstance('longest pause of a full collection V8 started itself (opening and rounds)', longestMajorGcMs, (v) => `${v.toFixed(1)} ms`);
    console.log(
      `\ntargets (not asserted): p50 ${ms(latency.p50)} ≤ store floor p50 + 5 ms = ${ms(store.p50 + 5)}: ${verdict(latency.p50 <= store.p50 + 5)}, ` +
        `p99 ${ms(latency.p99)} ≤ 25 ms: ${verdict(latency.p99 <= 25)}, ` +
        `≤ 12 KiB/socket: ${verdict(bytesPerSocket.every((b) => b <= 12 * 1024))}`,
    );
    console.log(
      `Warden's own share of a block (p50 less the store's 3 commands): ${ms(latency.p50 - storePath.total.p50)}; ` +
        `the store's 3 commands alone ${storePath.total.p50 <= store.p50 + 5 ? 'fit' : 'exceed'} the store floor + 5 ms (${ms(storePath.total.p50)} against ${ms(store.p50 + 5)})`,
    );
    const restricted = summary(restrictTotals);
    console.log(
      `restrict → RESTRICTED (not asserted): p50 ${ms(restricted.p50)} ≤ ${ms(store.p50 + 5)}: ${verdict(restricted.p50 <= store.p50 + 5)}, ` +
        `p99 ${ms(restricted.p99)} ≤ 25 ms: ${verdict(restricted.p99 <= 25)}`,
    );
    return { latency, bytesPerSocket, storeFloor: store, redisFloor: redis, storePath: storePath.total };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

type Post = (url: string, query: string, variables: Record<string, unknown>) => Promise<{ data?: any; errors?: any[] }>;

/** Opens `count` sockets of a new member, alternating instances (the first on instance 1). */
async function roundOf(instances: InstanceProcess[], sub: string, count: number, keep: LeanSocket[]) {
  const token = await signToken({ sub, expiresIn: 3600 });
  const sockets = await Promise.all(
    Array.from({ length: count }, (_, i) => openWithRetry(instances[i % instances.length]!.url, token, true)),
  );
  keep.push(...sockets);
  return sockets;
}

async function blockRound(instances: InstanceProcess[], post: Post, sub: string, count: number, keep: LeanSocket[]) {
  const sockets = await roundOf(instances, sub, count, keep);
  const userId = await idOfSub(instances[0]!, sub);
  await untilSubscribed(instances, sockets, userId);
  const sent = performance.now();
  const answerPromise = post(instances[0]!.url, BLOCK_USER, {
    input: { userId, reason: 'POLICY_VIOLATION', duration: 'DAYS_7', userMessage: 'Benchmark block' },
  }).then((answer) => ({ answer, at: performance.now() }));
  await Promise.all(sockets.map((socket) => socket.closed));
  const { answer, at } = await answerPromise;
  if (answer.errors) throw new Error(`blockUser failed: ${JSON.stringify(answer.errors)}`);
  const closes = sockets.map((socket) => socket.closedAt! - sent);
  const events = sockets.filter((socket) => socket.eventAt !== undefined).map((socket) => socket.eventAt! - sent);
  for (const socket of sockets) keep.splice(keep.indexOf(socket), 1);
  return {
    total: Math.max(...closes),
    response: at - sent,
    firstEvent: events.length ? Math.min(...events) : NaN,
    lastEvent: events.length ? Math.max(...events) : NaN,
    eventToClose: sockets.filter((s) => s.eventAt !== undefined).map((s) => s.closedAt! - s.eventAt!),
    // The mutation's own instance (the first), then the others.
    lastCloseOn: [
      Math.max(...closes.filter((_, i) => i % instances.length === 0)),
      Math.max(...closes.filter((_, i) => i % instances.length !== 0)),
    ] as [number, number],
    missingEvents: sockets.length - events.length,
    badCodes: sockets.filter((socket) => socket.closeCode !== 4403).length,
  };
}

const RESTRICT_USER = `mutation Restrict($input: RestrictUserInput!) { restrictUser(input: $input) { id } }`;

/** A fresh member's sockets stay open while each of its accountStatus subscriptions receives RESTRICTED. */
async function restrictRound(instances: InstanceProcess[], post: Post, sub: string, count: number, keep: LeanSocket[]) {
  const sockets = await roundOf(instances, sub, count, keep);
  const userId = await idOfSub(instances[0]!, sub);
  await untilSubscribed(instances, sockets, userId);
  const sent = performance.now();
  const answer = await post(instances[0]!.url, RESTRICT_USER, {
    input: { userId, actions: ['SEND_MESSAGE'], reason: 'INAPPROPRIATE_BEHAVIOR', duration: 'DAYS_7', userMessage: 'Benchmark restriction' },
  });
  if (answer.errors) throw new Error(`restrictUser failed: ${JSON.stringify(answer.errors)}`);
  const deadline = performance.now() + 10_000;
  while (sockets.some((socket) => socket.restrictedAt === undefined) && performance.now() < deadline) await sleep(1);
  const times = sockets.map((socket) => (socket.restrictedAt ?? NaN) - sent);
  for (const socket of sockets) {
    socket.ws.terminate();
    keep.splice(keep.indexOf(socket), 1);
  }
  const received = times.filter(Number.isFinite);
  return {
    total: Math.max(...received),
    lastOn: [
      Math.max(...times.filter((_, i) => i % instances.length === 0)),
      Math.max(...times.filter((_, i) => i % instances.length !== 0)),
    ] as [number, number],
    missing: sockets.length - received.length,
  };
}

/** Senders of the probe messages, taken in turn: each stays under the member-mutation limit. */
const SENDERS = 16;
let senderTokens: string[] = [];
let probes = 0;

/**
 * A subscription's registration cannot be observed from outside, so each round socket also
 * subscribes `messageAdded` (`p`) after `accountStatus` (`s`), and a message is sent to the
 * member through the second instance until every socket has received it on `p`. Then `s`
 * is registered everywhere, and the block measures termination, not subscription setup.
 */
async function untilSubscribed(instances: InstanceProcess[], sockets: LeanSocket[], userId: string): Promise<void> {
  if (senderTokens.length === 0) {
    const run = randomBytes(3).toString('hex');
    senderTokens = await Promise.all(Array.from({ length: SENDERS }, (_, k) => signToken({ sub: `bench-sender-${run}-${k}`, expiresIn: 24 * 3600 })));
  }
  const deadline = performance.now() + 30_000;
  while (sockets.some((socket) => socket.probeAt === undefined)) {
    if (performance.now() > deadline) throw new Error('round sockets did not receive the probe message within 30 s');
    const token = senderTokens[probes++ % SENDERS]!;
    const response = await fetch(instances[instances.length - 1]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
        variables: { input: { recipientId: userId, text: 'probe' } },
      }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`probe message refused: ${JSON.stringify(body.errors)}`);
    const until = performance.now() + 2_000;
    while (sockets.some((socket) => socket.probeAt === undefined) && performance.now() < until) await sleep(2);
  }
  // Let the message's own trailing writes finish before the block is sent.
  await sleep(20);
}

const ids = new Map<string, string>();
async function idOfSub(instance: InstanceProcess, sub: string): Promise<string> {
  const known = ids.get(sub);
  if (known) return known;
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signToken({ sub })}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  const body = (await response.json()) as { data?: { me?: { id?: string } } };
  const id = body.data?.me?.id;
  if (!id) throw new Error(`cannot read the id of ${sub}: ${JSON.stringify(body)}`);
  ids.set(sub, id);
  return id;
}

/** Open descriptors of a process and its soft limit, from /proc; null when unreadable. */
function descriptorUse(pid: number): { open: number; limit: number } | null {
  try {
    const open = readdirSync(`/proc/${pid}/fd`).length;
    const limit = Number(/^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1] ?? Infinity);
    return { open, limit };
  } catch {
    return null;
  }
}

/**
 * VmRSS of each instance once idle, after forced full collections: the lowest of samples
 * taken every 250 ms over `ms`, so garbage of the work just done is not counted as
 * per-socket cost.
 */
async function quietRss(instances: InstanceProcess[], ms: number): Promise<(number | null)[]> {
  // Full collections first (instances run with --expose-gc and collect on SIGUSR2). An
  // instance finds its heap settled over two of them and has the next one compact it.
  for (let round = 0; round < 4; round++) {
    instances.forEach((instance) => instance.kill('SIGUSR2'));
    await sleep(300);
  }
  const lowest: (number | null)[] = instances.map(() => null);
  const until = performance.now() + ms;
  while (performance.now() < until) {
    await sleep(250);
    instances.forEach((instance, i) => {
      const rss = instance.rssKiB();
      if (rss !== null && (lowest[i] === null || rss < lowest[i]!)) lowest[i] = rss;
    });
  }
  return lowest;
}

/** The figures of an instance's `memory` log line (api/memory-report.ts), or null. */
function memoryLine(line: string): { heapUsed: number; heapTotal: number; gcMs: number; longestMajorGcMs: number } | null {
  if (!line.includes('"action":"memory"')) return null;
  try {
    return JSON.parse(line) as { heapUsed: number; heapTotal: number; gcMs: number; longestMajorGcMs: number };
  } catch {
    return null;
  }
}

function fmtKiB(value: number | null | undefined): string {
  return value == null ? 'n/a' : `${(value / 1024).toFixed(1)} MiB`;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

async function dropDatabase(uri: string, database: string): Promise<void> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db(database).dropDatabase();
  } catch (err) {
    console.error(`could not drop ${database}: ${String(err)}`);
  } finally {
    await client.close().catch(() => undefined);
  }
}

if (require.main === module) {
  let options: BlockBenchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
  runAsMain('block-latency bench', async () => ((await runBlockBench(options)) ? 0 : 1));
}
