import { createConnection, createServer, type AddressInfo } from 'node:net';

const HOST = '127.0.0.1';
const BIND_ATTEMPTS = 3;

/** A TCP port that is free on 127.0.0.1 at the time of the call. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `startOn` with a free port, and again with a new one when the server reports the port
 * taken: another process may grab it between `freePort()` and the server's bind.
 */
export async function onFreePort<T>(startOn: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port);
    } catch (err) {
      const taken = /address already in use/i.test(err instanceof Error ? err.message : String(err));
      if (!taken || attempt >= BIND_ATTEMPTS) throw err;
    }
  }
}

/** True when something accepts a TCP connection on 127.0.0.1:`port` within `timeoutMs`. */
export function acceptsConnections(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
