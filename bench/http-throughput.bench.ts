/**
 * What the guard's store read costs: HTTP throughput of a member mutation
 * (`createItemListing`) on one Warden, against the same server code with the caller read
 * cached (CALLER_CACHE_MS), in one run, with autocannon.
 *
 *   npm run bench:http -- [--seconds 10] [--connections 8] [--rounds 2]
 *
 * Two instance processes on one store and Redis, rate limits off: `guarded` reads the
 * caller at every request (as deployed), `cached` reuses it for a minute. The rounds
 * alternate between them so that a noisy neighbour hurts both alike. Target (not asserted):
 * guarded ≥ 90 % of cached.
 */
import autocannon from 'autocannon';
import { startInstances, stopAllInstances, type InstanceProcess } from '../test/multi/support/instance-process';
import { signToken } from '../test/support/tokens';
import { startBenchServices } from './support/bench-services';
import { storeMutationThroughput } from './support/floors';
import { loadAverage, machineDescription } from './support/machine';
import { runAsMain } from './support/run-as-main';

export interface HttpBenchOptions {
  seconds: number;
  connections: number;
  rounds: number;
}

// One member may have MAX_CONCURRENT_OPERATIONS_PER_MEMBER (8) operations in flight.
const DEFAULTS: HttpBenchOptions = { seconds: 10, connections: 8, rounds: 2 };
const TARGET_RATIO = 0.9;

const MUTATION = JSON.stringify({
  query:
    'mutation { createItemListing(input: { title: "Ladder", description: "A tall ladder", category: "tools", location: "Depot" }) { id } }',
});

export function parseHttpArgs(argv: readonly string[]): HttpBenchOptions {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, '') as keyof HttpBenchOptions;
    const value = Number(argv[++i]);
    if (!(key in DEFAULTS) || !Number.isInteger(value) || value < 1) throw new Error(`bad option ${argv[i - 1]} ${argv[i]}`);
    options[key] = value;
  }
  return options;
}

async function measure(instance: InstanceProcess, token: string, options: HttpBenchOptions) {
  const result = await autocannon({
    url: instance.url,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: MUTATION,
  });
  const failures = result.non2xx + result.errors + result.timeouts;
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures };
}

export async function runHttpBench(options: HttpBenchOptions): Promise<boolean> {
  console.log(`http-throughput bench: ${JSON.stringify(options)}`);
  console.log(`machine: ${machineDescription()}; load average ${loadAverage()}`);
  const services = await startBenchServices('http');
  try {
    const common = { mongoUri: services.mongoUri, redisUrl: services.redisUrl, redisPrefix: services.redisPrefix, readyTimeoutMs: 60_000 };
    const noLimits = { RATE_LIMIT_MEMBER_MUTATIONS: '0', RATE_LIMIT_CONNECTION_INITS: '0', RATE_LIMIT_FAILED_AUTHS: '0' };
    const [guarded, cached] = await startInstances([
      { ...common, instanceId: 'guarded', env: noLimits },
      { ...common, instanceId: 'cached', env: { ...noLimits, CALLER_CACHE_MS: '60000' } },
    ]);
    const token = await signToken({ sub: 'bench-lister', expiresIn: 24 * 3600 });
    // Warm-up: provisioning, JIT, pools.
    for (const instance of [guarded!, cached!]) await measure(instance, token, { ...options, seconds: 2 });
    const figures = { guarded: [] as Awaited<ReturnType<typeof measure>>[], cached: [] as Awaited<ReturnType<typeof measure>>[] };
    for (let round = 0; round < options.rounds; round++) {
      figures.guarded.push(await measure(guarded!, token, options));
      figures.cached.push(await measure(cached!, token, options));
    }
    const mean = (runs: { perSecond: number }[]) => runs.reduce((sum, run) => sum + run.perSecond, 0) / runs.length;
    const line = (name: string, runs: Awaited<ReturnType<typeof measure>>[]) =>
      `  ${name.padEnd(34)} ${mean(runs).toFixed(0).padStart(6)} req/s  (rounds: ${runs.map((r) => r.perSecond.toFixed(0)).join(', ')}; ` +
      `latency p50 ${runs.map((r) => r.p50).join('/')} ms, p99 ${runs.map((r) => r.p99).join('/')} ms; failures ${runs.reduce((n, r) => n + r.failures, 0)})`;
    console.log(`\n── createItemListing over HTTP, ${options.connections} connections, ${options.seconds} s × ${options.rounds} rounds each ──`);
    console.log(line('guard reads the caller (deployed)', figures.guarded));
    console.log(line('floor: caller read cached', figures.cached));
    const store = await storeMutationThroughput(services.mongoUri, options.connections, options.seconds);
    const storeRatio = store.readThenInsert / store.insertOnly;
    console.log(
      `  ${"the store's own: insert alone".padEnd(34)} ${store.insertOnly.toFixed(0).padStart(6)} req/s  (a bare client, ${options.connections} in flight)\n` +
        `  ${"the store's own: caller read + insert".padEnd(34)} ${store.readThenInsert.toFixed(0).padStart(6)} req/s  (${(storeRatio * 100).toFixed(1)} % of the insert alone)`,
    );
    const ratio = mean(figures.guarded) / mean(figures.cached);
    console.log(`\ntarget (not asserted): guarded ≥ ${TARGET_RATIO * 100} % of cached: ${(ratio * 100).toFixed(1)} % — ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`);
    console.log(`the store alone, the same commands: ${(storeRatio * 100).toFixed(1)} % — the most the guarded Warden reaches while the store saturates`);
    console.log(`load average at the end: ${loadAverage()}`);
    return true;
  } finally {
    await stopAllInstances(5_000).catch(() => undefined);
    await services.stop();
  }
}

if (require.main === module) {
  runAsMain('http-throughput bench', async () => ((await runHttpBench(parseHttpArgs(process.argv.slice(2)))) ? 0 : 1));
}
