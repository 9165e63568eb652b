import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../../infrastructure/services/free-port';
import { spawnOwned } from '../../../infrastructure/services/managed-process';
import { TEST_JWT_SECRET } from '../../support/tokens';

/** The repository root: `api/main.ts` is resolved against it. */
export const REPO_ROOT = resolve(__dirname, '../../..');

export interface InstanceOptions {
  /** INSTANCE_ID; also names the instance in errors. */
  instanceId: string;
  /** MONGODB_URI, with the database name: every instance of one deployment shares it. */
  mongoUri: string;
  /** REDIS_URL. */
  redisUrl: string;
  /** REDIS_KEY_PREFIX: every instance of one deployment shares it. */
  redisPrefix: string;
  /** SESSION_SWEEP_INTERVAL_MS. @default 60_000 (long enough that tests see the fan-out, not the sweep) */
  sweepIntervalMs?: number;
  /** LOG_LEVEL. @default 'warn' */
  logLevel?: string;
  /** How long to wait for GET /readyz to answer 200. @default 20_000 */
  readyTimeoutMs?: number;
  /** Extra environment variables, applied last. */
  env?: Record<string, string>;
  /** Sees every chunk of the process's stdout and stderr (e.g. to keep warnings). */
  onOutput?: (chunk: string) => void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One Warden running as its own OS process (`node --import tsx api/main.ts`). */
export interface InstanceProcess {
  readonly instanceId: string;
  /** `http://127.0.0.1:<port>/graphql` (the WebSocket endpoint too). */
  readonly url: string;
  readonly port: number;
  /** Pid of the Node process that runs the server (no wrapper in between). */
  readonly pid: number;
  /** Resolves once the process has exited, however it ended. */
  readonly exited: Promise<Exit>;
  readonly hasExited: boolean;
  /** Sends a signal, e.g. 'SIGKILL' to simulate a crash; a no-op once exited. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** The last few KiB of the process's stdout and stderr (pino writes to stdout). */
  outputTail(): string;
  /** Resident set size (VmRSS) in KiB, read from /proc; null when unavailable. */
  rssKiB(): number | null;
}

/**
 * Readiness timeout for tests: a start is ~1.5 s of CPU (module loading), and several
 * instances start at once on a machine that may be running other suites too.
 */
export const START_TIMEOUT_MS = 45_000;

const READY_POLL_MS = 100;
const READY_PROBE_TIMEOUT_MS = 1_000;
const OUTPUT_TAIL_CHARS = 8_000;
const BIND_ATTEMPTS = 3;
const DEFAULT_STOP_GRACE_MS = 3_000;

const running = new Set<InstanceProcess>();

/**
 * Starts a Warden instance as a separate OS process on a free port and resolves once its
 * GET /readyz answers 200 (MongoDB and Redis reachable). On failure the child is killed and
 * the error carries its output tail.
 *
 * The process is `node --import tsx api/main.ts`, not `node tsx/cli api/main.ts`: tsx's CLI
 * runs the script in a grandchild, so a SIGKILL to the CLI would orphan the server and its
 * pid would not be the server's (for VmRSS). Children are SIGKILLed when this process exits
 * or dies (spawnOwned: exit hooks and, on Linux, the parent-death signal).
 */
export async function startInstance(options: InstanceOptions): Promise<InstanceProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await launch(options, port);
    } catch (err) {
      // Another process may take the port between freePort() and the server's listen().
      const taken = /EADDRINUSE|address already in use/i.test(err instanceof Error ? err.message : String(err));
      if (!taken || attempt >= BIND_ATTEMPTS) throw err;
    }
  }
}

/** Starts several instances at once; if any fails, the others are stopped and the first error is thrown. */
export async function startInstances(all: InstanceOptions[]): Promise<InstanceProcess[]> {
  const results = await Promise.allSettled(all.map((options) => startInstance(options)));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await Promise.all(
      results.map((result) => (result.status === 'fulfilled' ? result.value.stop(0) : Promise.resolve())),
    );
    throw failed.reason;
  }
  return results.map((result) => (result as PromiseFulfilledResult<InstanceProcess>).value);
}

/** Stops every instance this process started and has not stopped yet (for afterAll). */
export async function stopAllInstances(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
  await Promise.all([...running].map((instance) => instance.stop(graceMs)));
}

/** Instances started and not yet exited: afterAll can assert nothing is left behind. */
export function runningInstances(): readonly InstanceProcess[] {
  return [...running];
}

async function launch(options: InstanceOptions, port: number): Promise<InstanceProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    INSTANCE_ID: options.instanceId,
    MONGODB_URI: options.mongoUri,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: options.redisPrefix,
    JWT_SECRET: TEST_JWT_SECRET,
    SESSION_SWEEP_INTERVAL_MS: String(options.sweepIntervalMs ?? 60_000),
    // logger.ts: LOG_LEVEL wins; without it NODE_ENV=test would silence everything.
    LOG_LEVEL: options.logLevel ?? 'warn',
    // As `npm start` runs it (README, Configuration).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    ...options.env,
  };
  const child = spawnOwned(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-OUTPUT_TAIL_CHARS);
    options.onOutput?.(text);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolveExit) => {
    child.once('error', (err) => {
      output += `\n[spawn error] ${err.message}`;
      exit ??= { code: null, signal: null };
      resolveExit(exit);
    });
    child.once('exit', (code, signal) => {
      exit ??= { code, signal };
      resolveExit(exit);
    });
  });

  const url = `http://127.0.0.1:${port}/graphql`;
  const instance: InstanceProcess = {
    instanceId: options.instanceId,
    url,
    port,
    pid: child.pid ?? -1,
    exited,
    get hasExited() {
      return exit !== undefined;
    },
    kill: (signal = 'SIGTERM') => signalChild(child, () => exit !== undefined, signal),
    async stop(graceMs = DEFAULT_STOP_GRACE_MS) {
      if (exit === undefined) {
        signalChild(child, () => exit !== undefined, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
        const timer = setTimeout(() => signalChild(child, () => exit !== undefined, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(instance);
    },
    outputTail: () => output.trim(),
    rssKiB: () => readRssKiB(child.pid),
  };
  running.add(instance);
  void exited.then(() => running.delete(instance));

  const timeoutMs = options.readyTimeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let lastProbe = 'no answer yet';
  for (;;) {
    if (exit !== undefined) {
      throw new Error(
        `instance ${options.instanceId} exited (${describeExit(exit)}) before it was ready${tail(output)}`,
      );
    }
    const probe = await probeReady(port);
    if (probe === 200) return instance;
    lastProbe = String(probe);
    if (Date.now() > deadline) {
      await instance.stop(0);
      throw new Error(
        `instance ${options.instanceId} was not ready within ${timeoutMs} ms (last /readyz: ${lastProbe}; ` +
          `load average ${loadavg().map((load) => load.toFixed(1)).join(' ')})${tail(output)}`,
      );
    }
    await sleep(READY_POLL_MS);
  }
}

/** GET /readyz: the status code, or the error's text when nothing answered. */
export async function probeReady(port: number, timeoutMs = READY_PROBE_TIMEOUT_MS): Promise<number | string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch (err) {
    return err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  }
}

/** The body of GET /readyz (`{ ready, unavailable }`), or null when nothing answered. */
export async function readiness(instance: InstanceProcess): Promise<{ ready: boolean; unavailable: string[] } | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${instance.port}/readyz`, {
      signal: AbortSignal.timeout(READY_PROBE_TIMEOUT_MS),
    });
    return (await response.json()) as { ready: boolean; unavailable: string[] };
  } catch {
    return null;
  }
}

function signalChild(child: ChildProcess, hasExited: () => boolean, signal: NodeJS.Signals): void {
  if (hasExited()) return;
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
}

function readRssKiB(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function describeExit(exit: Exit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

function tail(output: string): string {
  const text = output.trim();
  return text ? `; its last output:\n${text.slice(-4_000)}` : ' (it printed nothing)';
}
