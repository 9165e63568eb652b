import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { FERRETDB_STOP_GRACE_MS } from '../config/limits';
import { findExecutable, goBinDirs } from './executables';
import { acceptsConnections, onFreePort } from './free-port';
import { registerExitCleanup } from './exit-cleanup';
import { manageProcess } from './managed-process';

/**
 * A FerretDB child process; stop()/start() keep the port and the data, dispose() deletes both.
 * stop() SIGKILLs after FERRETDB_STOP_GRACE_MS (committed writes survive).
 */
export interface FerretDbServer {
  /** `mongodb://127.0.0.1:<port>/`, without a database name. */
  readonly uri: string;
  readonly port: number;
  /** The SQLite files live here. */
  readonly stateDir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and removes its state directory. */
  dispose(): Promise<void>;
}

const PING_TIMEOUT_MS = 1_000;
const STATE_DIR_PREFIX = 'warden-ferretdb-';

/** The ferretdb binary on PATH, else in `$(go env GOPATH)/bin`, else in ~/go/bin; undefined if none. */
export function findFerretDb(): string | undefined {
  return findExecutable('ferretdb') ?? findExecutable('ferretdb', goBinDirs());
}

/**
 * Spawns FerretDB (SQLite backend) in a new temporary directory on a free port and resolves
 * once it answers a `ping`. Rejects after SERVICE_START_TIMEOUT_MS with its last output.
 */
export async function startFerretDb(binary = findFerretDb()): Promise<FerretDbServer> {
  if (!binary) throw new Error('ferretdb was not found: run `npm run provision`');
  removeOrphanedStateDirs();
  const stateDir = mkdtempSync(join(tmpdir(), `${STATE_DIR_PREFIX}${process.pid}-`));
  const removeDir = (): void => rmSync(stateDir, { recursive: true, force: true });
  const cancelRemoval = registerExitCleanup(removeDir);
  const deleteStateDir = (): void => {
    removeDir();
    cancelRemoval();
  };
  try {
    return await onFreePort(async (port) => {
      const server = manageProcess({
        name: 'ferretdb',
        command: binary,
        args: [
          '--handler=sqlite',
          // The state directory is temporary, deleted at stop: an fsync per commit would buy
          // nothing and cost every write about a millisecond. WAL keeps it crash-consistent.
          `--sqlite-url=file:${stateDir}/?_pragma=synchronous(NORMAL)`,
          `--state-dir=${stateDir}`,
          `--listen-addr=127.0.0.1:${port}`,
          '--debug-addr=-',
          '--telemetry=disable',
          '--log-level=warn',
        ],
        isReady: () => answersPing(port),
        stopGraceMs: FERRETDB_STOP_GRACE_MS,
      });
      await server.start();
      return {
        uri: `mongodb://127.0.0.1:${port}/`,
        port,
        stateDir,
        start: () => server.start(),
        stop: () => server.stop(),
        dispose: async () => {
          await server.stop();
          deleteStateDir();
        },
      };
    });
  } catch (err) {
    deleteStateDir();
    throw err;
  }
}

/** The TCP probe first: the driver would wait its whole selection timeout on a closed port. */
async function answersPing(port: number): Promise<boolean> {
  if (!(await acceptsConnections(port, PING_TIMEOUT_MS))) return false;
  const client = new mongo.MongoClient(`mongodb://127.0.0.1:${port}/`, {
    serverSelectionTimeoutMS: PING_TIMEOUT_MS,
    connectTimeoutMS: PING_TIMEOUT_MS,
  });
  try {
    const reply = await client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** A SIGKILLed owner cannot delete its state directory; the next start does (the pid is in the name). */
function removeOrphanedStateDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(STATE_DIR_PREFIX)) continue;
    const owner = Number(name.slice(STATE_DIR_PREFIX.length).split('-')[0]);
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
