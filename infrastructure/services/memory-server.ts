import { MongoMemoryServer } from 'mongodb-memory-server';
import { MEMORY_SERVER_START_TIMEOUT_MS } from '../config/limits';
import { findExecutable } from './executables';
import { spawnOwned } from './managed-process';

/** A mongod run by mongodb-memory-server; stop()/start() keep port and data, dispose() deletes them. */
export interface MemoryServer {
  /** `mongodb://127.0.0.1:<port>/`, without a database name. */
  readonly uri: string;
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Starts a mongod through mongodb-memory-server: `mongod` on PATH (or MONGOMS_SYSTEM_BINARY),
 * else its cached or downloaded binary. Rejects once obtaining or launching mongod takes
 * longer than `timeoutMs`, leaving no process or timer behind.
 */
export async function startMemoryServer(timeoutMs = MEMORY_SERVER_START_TIMEOUT_MS): Promise<MemoryServer> {
  const systemBinary = process.env.MONGOMS_SYSTEM_BINARY || findExecutable('mongod');
  if (!systemBinary) await obtainBinary(timeoutMs);
  const server = await MongoMemoryServer.create({
    binary: systemBinary ? { systemBinary } : {},
    instance: { ip: '127.0.0.1', launchTimeout: timeoutMs },
  });
  const port = server.instanceInfo?.port;
  if (port === undefined) throw new Error('mongodb-memory-server started without a port');
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    start: async () => {
      await server.start(true);
    },
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
    dispose: async () => {
      await server.stop({ doCleanup: true, force: true });
    },
  };
}

/**
 * The download runs in a child process because mongodb-memory-server cannot cancel it: killing
 * the child is the only way a timed-out download leaves no socket keeping Node alive.
 */
function obtainBinary(timeoutMs: number): Promise<void> {
  const core = require.resolve('mongodb-memory-server-core');
  const script = `require(${JSON.stringify(core)}).MongoBinary.getPath().then(
    () => process.exit(0),
    (err) => { process.stderr.write(String((err && err.message) || err)); process.exit(1); })`;
  // One attempt: an unreachable download host should fail now, not after backed-off retries.
  const env = { MONGOMS_MAX_RETRIES: '1', ...process.env };
  const child = spawnOwned(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no mongod binary within ${timeoutMs} ms (download slow or blocked)`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`no mongod binary: ${oneLine(stderr) || `exit code ${code}`}`));
    });
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
