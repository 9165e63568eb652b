/**
 * Run by heap-compaction.test.ts in its own Node (--expose-gc): fragments the old
 * generation, starts the compaction job with small thresholds (the cooldown from argv),
 * optionally keeps the heap growing for a while ('growing'), runs full collections,
 * fragments it again, and prints what it saw.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { gcDetail, oldSpace, startHeapCompaction } from '../../infrastructure/jobs/heap-compaction';
import type { Logger } from '../../infrastructure/logging/logger';

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const actions: string[] = [];
  const log = { info: (fields: { action: string }) => actions.push(fields.action) } as unknown as Logger;

  // Half of a million small objects survive, interleaved with the half that dies: pages
  // about half full, which V8's own heuristics leave as they are.
  const fragment = () => {
    const survivors: object[] = [];
    let all: object[] | null = [];
    for (let i = 0; i < 1_000_000; i++) {
      const item = { i, text: `item ${i}`, list: [i] };
      all.push(item);
      if (i % 2 === 0) survivors.push(item);
    }
    gc();
    gc();
    all = null;
    return survivors;
  };
  let kept = fragment();
  gc();
  const fragmented = oldSpace();

  const cooldownMs = Number(process.argv[2] ?? 60_000);
  const job = startHeapCompaction(log, { minBytes: 4 * 1024 * 1024, ratio: 0.1, settledChangeRatio: 0.05, cooldownMs, regrowthRatio: 0.25 });
  // The job reads the heap after each full collection, once its observer is told: each
  // collection here waits until an observer of its own has been told too, however busy the
  // machine, so no two collections reach the job as one batch.
  let seen = 0;
  const watcher = new PerformanceObserver((list) => {
    seen += list.getEntries().filter((entry) => gcDetail(entry).kind === constants.NODE_PERFORMANCE_GC_MAJOR).length;
  });
  watcher.observe({ entryTypes: ['gc'] });
  const collect = async () => {
    const before = seen;
    gc();
    while (seen === before) await sleep(5);
    await sleep(20);
  };
  if (process.argv[3] === 'growing') {
    // A storm: what lives changes by a tenth or more from one full collection to the next,
    // and what dies leaves the pages half empty, so the heap is fragmented all along.
    const storm: object[][] = [];
    for (let step = 0; step < 8; step++) {
      const made = Array.from({ length: Math.ceil(oldSpace().usedBytes / 5 / 32) }, (_, i) => ({ i }));
      await collect();
      storm.push(made.filter((_, i) => i % 2 === 0));
      made.length = 0;
      await collect();
    }
    actions.push(`storm over (${storm.length} steps)`);
    // What the storm held goes (its sockets closed): the heap is back to its fragmented self.
    storm.length = 0;
  }
  // Settled over two full collections, compacted by the third.
  await collect();
  await collect();
  await collect();
  const compacted = oldSpace();
  // Fragmented again at once. The same live heap within the cooldown: nothing is armed;
  // with 'regrow', the first survivors stay too, and a heap half again as large is.
  const again = fragment();
  kept = process.argv[3] === 'regrow' ? [...kept, ...again] : again;
  for (let i = 0; i < 4; i++) await collect();
  job.stop();
  watcher.disconnect();
  console.log(JSON.stringify({ fragmented, compacted, actions, kept: kept.length }));
}

void main();
