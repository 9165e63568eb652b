import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICE_START_TIMEOUT_MS, SERVICE_STOP_TIMEOUT_MS } from '../config/limits';
import { registerExitCleanup } from './exit-cleanup';
import { findExecutable } from './executables';

/** How to run one server process and how to tell that it accepts connections. */
export interface ProcessSpec {
  /** Shown in errors, e.g. `redis-server`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** One readiness probe (must time out on its own); polled until true or the start timeout. */
  readonly isReady: () => Promise<boolean>;
  /** SIGTERM-to-SIGKILL delay of stop(). @default SERVICE_STOP_TIMEOUT_MS */
  readonly stopGraceMs?: number;
}

/** A server process that can be stopped and started again with the same arguments. */
export interface ManagedProcess {
  /** Spawns the process and resolves once `isReady`; rejects with the output tail otherwise. */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after `stopGraceMs`; resolves once the process is gone. */
  stop(): Promise<void>;
}

interface Running {
  readonly child: ChildProcess;
  readonly stopGraceMs: number;
  readonly closed: Promise<void>;
  /** Why the process ended, once it has. */
  readonly endReason: () => string | undefined;
  readonly outputTail: () => string;
}

const OUTPUT_TAIL_CHARS = 4_000;
const READY_POLL_MS = 100;

/** Wraps `spec` so the process can be started, stopped and restarted; it dies with this process. */
export function manageProcess(spec: ProcessSpec): ManagedProcess {
  let current: Promise<Running> | undefined;
  return {
    async start() {
      const previous = await current?.catch(() => undefined);
      if (previous?.endReason() !== undefined) current = undefined; // it crashed: launch anew
      current ??= launch(spec).catch((err: unknown) => {
        current = undefined;
        throw err;
      });
      await current;
    },
    async stop() {
      const running = current;
      current = undefined;
      const launched = await running?.catch(() => undefined);
      if (launched) await terminate(launched);
    },
  };
}

async function launch(spec: ProcessSpec): Promise<Running> {
  const child = spawnOwned(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let endReason: string | undefined;
  const closed = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      endReason ??= err.message;
      resolve();
    });
    child.once('close', (code, signal) => {
      endReason ??= signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve();
    });
  });
  const running: Running = {
    child,
    stopGraceMs: spec.stopGraceMs ?? SERVICE_STOP_TIMEOUT_MS,
    closed,
    endReason: () => endReason,
    outputTail: () => output.trim(),
  };

  const deadline = Date.now() + SERVICE_START_TIMEOUT_MS;
  for (;;) {
    if (endReason !== undefined) {
      throw new Error(`${spec.name} stopped (${endReason}) before accepting connections${tail(running)}`);
    }
    if (await spec.isReady().catch(() => false)) return running;
    if (Date.now() > deadline) {
      await terminate(running);
      throw new Error(`${spec.name} did not accept connections within ${SERVICE_START_TIMEOUT_MS} ms${tail(running)}`);
    }
    await sleep(READY_POLL_MS);
  }
}

async function terminate(running: Running): Promise<void> {
  if (running.endReason() !== undefined) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), running.stopGraceMs);
  await running.closed;
  clearTimeout(timer);
}

function tail(running: Running): string {
  const text = running.outputTail();
  return text ? `; its last output:\n${text}` : ' (it printed nothing)';
}

/**
 * Spawns a child that is SIGKILLed when this process exits, is killed by a signal or crashes.
 * The child does not keep the event loop alive: forgetting to stop it cannot hang Node.
 */
export function spawnOwned(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const [file, argv] = withParentDeathSignal(command, args);
  const child = spawn(file, argv, options);
  const unregister = registerExitCleanup(() => child.kill('SIGKILL'));
  child.once('close', unregister);
  child.once('error', unregister);
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as Socket | null)?.unref();
  return child;
}

let setprivPath: string | null | undefined;

/**
 * Exit hooks never run when this process is SIGKILLed (CI timeouts, OOM killer). On Linux,
 * `setpriv --pdeathsig` makes the kernel kill the child then; it execs in place, so the pid stays.
 */
function withParentDeathSignal(command: string, args: readonly string[]): [string, string[]] {
  if (setprivPath === undefined) {
    setprivPath = process.platform === 'linux' ? (findExecutable('setpriv') ?? null) : null;
  }
  return setprivPath ? [setprivPath, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, [...args]];
}
