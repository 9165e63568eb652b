/*
 * Synchronous cleanups run on every way out of this process: normal exit, uncaught errors
 * ('exit' still fires) and SIGINT/SIGTERM/SIGHUP. Listeners exist only while cleanups do.
 */
const cleanups = new Set<() => void>();
const FATAL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const signalHandlers = new Map(FATAL_SIGNALS.map((signal) => [signal, () => onFatalSignal(signal)]));

/** Runs `cleanup` synchronously when this process exits; returns a function that cancels it. */
export function registerExitCleanup(cleanup: () => void): () => void {
  if (cleanups.size === 0) installHooks();
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0) removeHooks();
  };
}

function runCleanups(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // Best effort while exiting: one failed cleanup must not skip the others.
    }
  }
}

function onFatalSignal(signal: NodeJS.Signals): void {
  // Another listener (e.g. graceful shutdown) owns this signal; 'exit' will clean up after it.
  if (process.listenerCount(signal) > 1) return;
  runCleanups();
  removeHooks();
  // Listening cancelled Node's default of dying on the signal; die the default way now.
  process.kill(process.pid, signal);
}

function installHooks(): void {
  process.on('exit', runCleanups);
  for (const [signal, handler] of signalHandlers) process.on(signal, handler);
}

function removeHooks(): void {
  process.removeListener('exit', runCleanups);
  for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
}
