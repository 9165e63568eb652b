import type { Logger } from '../logging/logger';

export interface PeriodicJob {
  /** Runs the job now (unless a run is under way) and resolves when it is done. */
  runNow(): Promise<void>;
  stop(): void;
}

/**
 * Runs `task` every `intervalMs`, never two runs at once, logging (not throwing) a failed
 * run: MongoDB being down for a while must not kill the process.
 */
export function startPeriodicJob(name: string, intervalMs: number, task: () => Promise<void>, log: Logger): PeriodicJob {
  let running: Promise<void> | null = null;
  let failing = false;
  const runNow = () => {
    running ??= task()
      .then(() => {
        if (failing) log.info({ action: name }, `${name} recovered`);
        failing = false;
      })
      .catch((error: unknown) => {
        if (!failing) log.warn({ action: name, err: error }, `${name} failed; will retry`);
        failing = true;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}
