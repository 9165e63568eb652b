/**
 * A lean graphql-ws client: thousands of them share one process (the bench's idle sockets
 * and its rounds), so each is a bare `ws` socket with the protocol's few messages.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

const STATUS = 'subscription { accountStatus { userId state userMessage expiresAt } }';

class EmfileError extends Error {}

export interface LeanSocket {
  ws: WebSocket;
  /** performance.now() of the first `next` on subscription `s`, if any. */
  eventAt?: number;
  /** performance.now() of the first `next` on `s` whose state is RESTRICTED, if any. */
  restrictedAt?: number;
  /** performance.now() of the first `next` on the `messageAdded` probe `p`, if subscribed. */
  probeAt?: number;
  /** performance.now() of the close. */
  closedAt?: number;
  closeCode?: number;
  closed: Promise<void>;
}

export function isEmfile(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'EMFILE' || code === 'ENFILE' || /EMFILE|ENFILE/.test(String(err));
}

let clientIps = 0;
/**
 * Where this process's client addresses start: each idle-socket holder process takes its
 * own range, so no two sockets of the run share an address (the per-IP limits stay on).
 */
export function startClientIpsAt(offset: number): void {
  clientIps = offset;
}
function nextClientIp(): string {
  const n = ++clientIps;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** Opens, inits with `token`, waits for the ack, subscribes `s` to accountStatus. */
const PROBE = 'subscription { messageAdded { id } }';

export function openSubscribed(url: string, token: string, withProbe = false, timeoutMs = 30_000): Promise<LeanSocket> {
  return new Promise((resolve, reject) => {
    // Each socket comes from its own address (X-Forwarded-For, trusted one hop): the
    // per-IP connection_init limit stays on, as in production, without refusing the bench.
    const headers = { 'x-forwarded-for': nextClientIp() };
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { perMessageDeflate: false, headers });
    let settled = false;
    let markClosed!: () => void;
    const socket: LeanSocket = { ws, closed: new Promise<void>((done) => (markClosed = done)) };
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      reject(isEmfile(err) ? new EmfileError(String(err)) : err);
    };
    const timer = setTimeout(() => fail(new Error(`no connection_ack within ${timeoutMs} ms`)), timeoutMs);
    ws.on('error', fail);
    ws.once('unexpected-response', (_req, res) => fail(new Error(`handshake refused: ${res.statusCode}`)));
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string };
      if (message.type === 'connection_ack' && !settled) {
        settled = true;
        clearTimeout(timer);
        ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: STATUS } }));
        // Sent after `s`: once a message reaches `p`, `s` has been registered too.
        if (withProbe) ws.send(JSON.stringify({ id: 'p', type: 'subscribe', payload: { query: PROBE } }));
        resolve(socket);
      } else if (message.type === 'next' && message.id === 's') {
        socket.eventAt ??= performance.now();
        const state = (message as { payload?: { data?: { accountStatus?: { state?: string } } } }).payload?.data?.accountStatus?.state;
        if (state === 'RESTRICTED') socket.restrictedAt ??= performance.now();
      } else if (message.type === 'next' && message.id === 'p') {
        socket.probeAt ??= performance.now();
      } else if (message.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      }
    });
    ws.once('close', (code) => {
      socket.closedAt = performance.now();
      socket.closeCode = code;
      markClosed();
      fail(new Error(`closed with ${code} before the ack`));
    });
  });
}

let retried1013 = 0;
/** Attempts refused with 1013 and retried, in this process. */
export function retriedCount(): number {
  return retried1013;
}

/**
 * openSubscribed, retrying a 1013 (MongoDB too slow to authenticate the socket: "try again
 * later", as a real client would) a few times with a growing pause.
 */
export async function openWithRetry(url: string, token: string, withProbe = false, attempts = 5): Promise<LeanSocket> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openSubscribed(url, token, withProbe);
    } catch (err) {
      if (attempt >= attempts || !/closed with 1013/.test(String(err))) throw err;
      retried1013++;
      await sleep(250 * attempt);
    }
  }
}

/** Runs `task` for 0..count-1 with at most `concurrency` at once; stops at the first error. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failure !== undefined) throw failure;
}

