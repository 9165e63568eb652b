/**
 * `npm run bench`: every bench with modest defaults, one after the other. Options given on
 * the command line override the block bench's (e.g. `npm run bench -- --sockets 5000`).
 * Exits non-zero when a bench could not run (not when a target is missed).
 */
import { parseArgs, runBlockBench, type BlockBenchOptions } from './block-latency.bench';
import { runHttpBench } from './http-throughput.bench';
import { runMembersSearchBench } from './members-search.bench';
import { runModerationLogBench } from './moderation-log.bench';
import { runAsMain } from './support/run-as-main';

interface Bench {
  name: string;
  run(): Promise<boolean>;
}

const BLOCK_DEFAULTS: BlockBenchOptions = {
  sockets: 10_000,
  rounds: 200,
  concurrency: 32,
  perMember: 4,
  sweepMs: 5_000,
  victimSockets: 5,
  instances: 2,
};

const benches: Bench[] = [
  {
    name: 'block latency',
    run: async () => (await runBlockBench(parseArgs(process.argv.slice(2), BLOCK_DEFAULTS))) !== null,
  },
  {
    // 100,000 entries; a case stops after 30 s of runs, whatever the store.
    name: 'moderation log',
    run: () => runModerationLogBench({ entries: 100_000, users: 1_000, days: 90, runs: 20, budgetMs: 30_000 }),
  },
  {
    name: 'members search',
    run: () => runMembersSearchBench({ members: 10_000, runs: 20 }),
  },
  {
    name: 'HTTP throughput: guard vs cached caller read',
    run: () => runHttpBench({ seconds: 10, connections: 8, rounds: 2 }),
  },
  // Further benches are added here.
];

async function main(): Promise<number> {
  let failed = 0;
  for (const bench of benches) {
    console.log(`\n═══ ${bench.name} ═══`);
    const started = Date.now();
    try {
      if (!(await bench.run())) failed++;
    } catch (err) {
      failed++;
      console.error(`${bench.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    console.log(`═══ ${bench.name}: ${((Date.now() - started) / 1000).toFixed(1)} s ═══`);
  }
  return failed === 0 ? 0 : 1;
}

runAsMain('npm run bench', main);
