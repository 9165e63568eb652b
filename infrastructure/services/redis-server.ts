import { createConnection } from 'node:net';
import { findExecutable } from './executables';
import { onFreePort } from './free-port';
import { manageProcess } from './managed-process';

/** A redis-server child process; `start()` after `stop()` reuses the same port (data is not kept). */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Same as stop(): nothing is written to disk. */
  dispose(): Promise<void>;
}

const PING_TIMEOUT_MS = 1_000;

/**
 * Spawns redis-server on a free 127.0.0.1 port, without persistence, and resolves once it
 * answers PING. Rejects after SERVICE_START_TIMEOUT_MS with the server's last output.
 */
export async function startRedisServer(binary = findExecutable('redis-server')): Promise<RedisServer> {
  if (!binary) {
    throw new Error('redis-server is not on PATH: run `npm run provision` or `sudo apt-get install -y redis-server`');
  }
  return onFreePort(async (port) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const server = manageProcess({ name: 'redis-server', command: binary, args, isReady: () => answersPing(port) });
    await server.start();
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      start: () => server.start(),
      stop: () => server.stop(),
      dispose: () => server.stop(),
    };
  });
}

/** Raw RESP instead of ioredis: a client would queue and retry, hiding that the server is not up. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PING_TIMEOUT_MS, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
