import { PerformanceObserver, constants } from 'node:perf_hooks';
import { gcDetail } from '../infrastructure/jobs/heap-compaction';
import type { Logger } from '../infrastructure/logging/logger';

/**
 * For benchmarks, which start instances with --expose-gc: on SIGUSR2, a full collection and
 * one `memory` line (written whatever the log level), so garbage is not counted as
 * per-socket cost. It also tells how long that forced collection took and the longest
 * pause of the collections V8 started by itself, so the price of the GC policy is seen.
 */
export function reportMemoryOnSignal(log: Logger): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  const memoryLog = log.child({}, { level: 'info' });
  let longestMajorGcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind, flags } = gcDetail(entry);
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR && !(flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED)) {
        longestMajorGcMs = Math.max(longestMajorGcMs, entry.duration);
      }
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    const started = performance.now();
    gc();
    const gcMs = performance.now() - started;
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    memoryLog.info(
      { action: 'memory', rss, heapUsed, heapTotal, external, arrayBuffers, gcMs, longestMajorGcMs },
      'memory after a full collection',
    );
  });
}
