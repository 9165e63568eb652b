/**
 * Run by heap-compaction.test.ts in its own Node (--expose-gc): fragments the old
 * generation, starts the compaction job with small thresholds (the cooldown from argv),
 * optionally keeps the heap growing for a while ('growing'), fragments it again, and prints
 * what it saw.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { oldSpace, startHeapCompaction } from '../../infrastructure/jobs/heap-compaction';
import type { Logger } from '../../infrastructure/logging/logger';

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const actions: string[] = [];
  const log = { info: (fields: { action: string }) => actions.push(fields.action) } as unknown as Logger;

  // Half of a million small objects survive, interleaved with the half that dies: pages
  // about half full, which V8's own heuristics leave as they are.
  let all: object[] = [];
  const kept: object[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    const item = { i, text: `item ${i}`, list: [i] };
    all.push(item);
    if (i % 2 === 0) kept.push(item);
  }
  gc();
  gc();
  all = [];
  gc();
  const fragmented = oldSpace();

  const cooldownMs = Number(process.argv[2] ?? 60_000);
  const job = startHeapCompaction(log, { checkMs: 50, minBytes: 4 * 1024 * 1024, ratio: 0.2, settledGrowthRatio: 0.05, cooldownMs });
  if (process.argv[3] === 'growing') {
    // A storm: the heap keeps growing by a twentieth every 10 ms, several times the settled
    // share between two checks, so no check finds it settled.
    const storm: object[][] = [];
    const stormUntil = performance.now() + 500;
    while (performance.now() < stormUntil) {
      storm.push(Array.from({ length: Math.ceil((oldSpace().usedBytes / 20) / 64) }, (_, i) => ({ i })));
      await sleep(10);
    }
    actions.push(`storm over (${storm.length} steps)`);
    // What the storm held goes (its sockets closed): the heap is back to its fragmented self.
    storm.length = 0;
    gc();
  }
  await sleep(500);
  gc();
  await sleep(200);
  const compacted = oldSpace();
  // Fragmented again at once: within the cooldown nothing is armed.
  all = Array.from({ length: 1_600_000 }, (_, i) => ({ i, text: `again ${i}` }));
  gc();
  gc();
  all = all.filter((_, i) => i % 2 === 0);
  gc();
  await sleep(500);
  job.stop();
  console.log(JSON.stringify({ fragmented, compacted, actions, kept: kept.length }));
}

void main();
