import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import {
  HEAP_COMPACTION_COOLDOWN_MS,
  HEAP_COMPACTION_REGROWTH_RATIO,
  HEAP_FRAGMENTATION_MIN_BYTES,
  HEAP_FRAGMENTATION_RATIO,
  HEAP_SETTLED_CHANGE_RATIO,
} from '../config/limits';
import type { Logger } from '../logging/logger';

/**
 * Has V8 compact its old generation at the next full collection whenever it is fragmented.
 * An instance holds mostly idle sockets, made amid bursts of short-lived work; V8's own
 * heuristics leave the pages they share with that garbage half empty, so resident memory
 * stayed about twice the live heap. Compacting at every full collection would move the
 * whole heap each time (pauses of 150–200 ms at 5,000 sockets); this compacts once, when
 * the waste is worth it, the heap has stopped changing (a storm of connections or of
 * disconnections is over) and no sooner than a cooldown after the last, then lets V8 decide.
 *
 * Read after each full collection only: the old generation then holds what lives, so the
 * readings are neither the garbage of the moment nor a cost of their own.
 */
export function startHeapCompaction(
  log: Logger,
  thresholds = {
    minBytes: HEAP_FRAGMENTATION_MIN_BYTES,
    ratio: HEAP_FRAGMENTATION_RATIO,
    settledChangeRatio: HEAP_SETTLED_CHANGE_RATIO,
    cooldownMs: HEAP_COMPACTION_COOLDOWN_MS,
    regrowthRatio: HEAP_COMPACTION_REGROWTH_RATIO,
  },
): { stop(): void } {
  let armed = false;
  let compactedAt = -Infinity;
  let liveAtCompaction = 0;
  let liveBefore = 0;
  const afterFullCollection = (major: PerformanceEntry) => {
    const { usedBytes, unusedBytes } = oldSpace();
    const settled = liveBefore > 0 && Math.abs(usedBytes - liveBefore) <= liveBefore * thresholds.settledChangeRatio;
    liveBefore = usedBytes;
    if (armed) {
      setFlagsFromString('--no-compact-on-every-full-gc');
      armed = false;
      compactedAt = performance.now();
      liveAtCompaction = usedBytes;
      log.info({ action: 'heap-compacted', pauseMs: Math.round(major.duration), usedBytes, unusedBytes }, 'compacted a fragmented heap');
      return;
    }
    // A heap much larger than the one last compacted is another heap: a compaction in the
    // midst of a storm does not leave the rest of it standing for a whole cooldown.
    const regrown = usedBytes > liveAtCompaction * (1 + thresholds.regrowthRatio);
    if (!settled || (performance.now() - compactedAt < thresholds.cooldownMs && !regrown)) return;
    if (unusedBytes < thresholds.minBytes || unusedBytes < usedBytes * thresholds.ratio) return;
    setFlagsFromString('--compact-on-every-full-gc');
    armed = true;
    log.info({ action: 'heap-compaction-armed', usedBytes, unusedBytes }, 'the next full collection compacts the heap');
  };
  const observer = new PerformanceObserver((list) => {
    const major = list.getEntries().find((entry) => gcDetail(entry).kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (major) afterFullCollection(major);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      observer.disconnect();
    },
  };
}

/** The old generation: what it holds, and what it has committed without using. */
export function oldSpace(): { usedBytes: number; unusedBytes: number } {
  const space = getHeapSpaceStatistics().find((candidate) => candidate.space_name === 'old_space');
  if (!space) return { usedBytes: 0, unusedBytes: 0 };
  return { usedBytes: space.space_used_size, unusedBytes: space.space_size - space.space_used_size };
}

/** What Node tells of a garbage collection (`detail` of a `gc` performance entry). */
export function gcDetail(entry: PerformanceEntry): { kind: number; flags: number } {
  return (entry as unknown as { detail: { kind: number; flags: number } }).detail;
}
