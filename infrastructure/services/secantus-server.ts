import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { SECANTUS_STOP_GRACE_MS } from '../config/limits';
import { findExecutable } from './executables';
import { acceptsConnections, onFreePort } from './free-port';
import { registerExitCleanup } from './exit-cleanup';
import { manageProcess } from './managed-process';

/** The SecantusDB release `scripts/provision.sh` installs. */
export const SECANTUS_VERSION = '0.7.0b3';

/**
 * A SecantusDB child process (a MongoDB-compatible server on WiredTiger, presenting itself as a
 * one-node replica set); stop()/start() keep the port and the data, dispose() deletes both.
 */
export interface SecantusServer {
  /** `mongodb://127.0.0.1:<port>/?directConnection=true`, without a database name. */
  readonly uri: string;
  readonly port: number;
  /** WiredTiger's files live here. */
  readonly dataDir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

const PING_TIMEOUT_MS = 1_000;
const DATA_DIR_PREFIX = 'warden-secantus-';

/** The virtual environment `scripts/provision.sh` creates; WARDEN_SECANTUS_HOME overrides it. */
export function secantusHome(): string {
  const override = process.env.WARDEN_SECANTUS_HOME?.trim();
  if (override) return override;
  const cache = process.env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(cache, 'warden', `secantusdb-${SECANTUS_VERSION}`);
}

/** `secantusd-py` in the project's virtual environment, else on PATH; undefined if none. */
export function findSecantus(): string | undefined {
  return findExecutable('secantusd-py', [join(secantusHome(), 'bin')]) ?? findExecutable('secantusd-py');
}

/**
 * Spawns SecantusDB in a new temporary directory on a free port and resolves once it answers a
 * `ping`. Rejects after SERVICE_START_TIMEOUT_MS with its last output. `testCommands`: mongod's
 * test-only commands (`configureFailPoint`), for tests that make the store misbehave.
 */
export async function startSecantus(
  binary = findSecantus(),
  options: { testCommands?: boolean } = {},
): Promise<SecantusServer> {
  if (!binary) throw new Error('secantusd-py was not found: run `npm run provision`');
  removeOrphanedDataDirs();
  const dataDir = mkdtempSync(join(tmpdir(), `${DATA_DIR_PREFIX}${process.pid}-`));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  const cancelRemoval = registerExitCleanup(removeDir);
  const deleteDataDir = (): void => {
    removeDir();
    cancelRemoval();
  };
  try {
    return await onFreePort(async (port) => {
      const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
      const server = manageProcess({
        name: 'secantusd-py',
        command: binary,
        args: [
          '--host', '127.0.0.1', '--port', String(port), '--storage-path', dataDir, '--log-level', 'WARNING',
          ...(options.testCommands ? ['--enable-test-commands'] : []),
        ],
        isReady: () => answersPing(port, uri),
        stopGraceMs: SECANTUS_STOP_GRACE_MS,
      });
      await server.start();
      return {
        uri,
        port,
        dataDir,
        start: () => server.start(),
        stop: () => server.stop(),
        dispose: async () => {
          await server.stop();
          deleteDataDir();
        },
      };
    });
  } catch (err) {
    deleteDataDir();
    throw err;
  }
}

/** The TCP probe first: the driver would wait its whole selection timeout on a closed port. */
async function answersPing(port: number, uri: string): Promise<boolean> {
  if (!(await acceptsConnections(port, PING_TIMEOUT_MS))) return false;
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: PING_TIMEOUT_MS, connectTimeoutMS: PING_TIMEOUT_MS });
  try {
    const reply = await client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** A SIGKILLed owner cannot delete its data directory; the next start does (the pid is in the name). */
function removeOrphanedDataDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DATA_DIR_PREFIX)) continue;
    const owner = Number(name.slice(DATA_DIR_PREFIX.length).split('-')[0]);
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
