import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { startKeepAlive } from '../../api/ws/keep-alive';

/** Short, so a dead peer is found within a second or two; the constant is 12 s. */
const INTERVAL_MS = 400;

let http: Server;
let wss: WebSocketServer;
let keepAlive: { stop(): void };
let url: string;

beforeAll(async () => {
  http = createServer();
  wss = new WebSocketServer({ server: http });
  keepAlive = startKeepAlive(wss, INTERVAL_MS);
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  keepAlive.stop();
  for (const client of wss.clients) client.terminate();
  await new Promise((done) => wss.close(done));
  await new Promise((done) => http.close(done));
});

async function connect(answersPings: boolean): Promise<{ socket: WebSocket; pings: () => number; closed: Promise<number> }> {
  const socket = new WebSocket(url, { autoPong: answersPings });
  let pings = 0;
  socket.on('ping', () => pings++);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await once(socket, 'open');
  return { socket, pings: () => pings, closed };
}

describe('one keep-alive timer for every socket', () => {
  test('a peer that answers is pinged about once an interval and kept', async () => {
    const peer = await connect(true);
    await new Promise((done) => setTimeout(done, INTERVAL_MS * 5));
    expect(peer.socket.readyState).toBe(WebSocket.OPEN);
    expect(peer.pings()).toBeGreaterThanOrEqual(3);
    expect(peer.pings()).toBeLessThanOrEqual(7);
    peer.socket.close();
  });

  test('a peer that stops answering is terminated at its next turn after an unanswered ping', async () => {
    const answering = await connect(true);
    const silent = await connect(false);
    // 1006: terminated without a close frame, as graphql-ws's own keep-alive does.
    expect(await silent.closed).toBe(1006);
    expect(silent.pings()).toBe(1);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    answering.socket.close();
  });

  test('many sockets are pinged in slices, not all in one tick', async () => {
    const peers = await Promise.all(Array.from({ length: 40 }, () => connect(true)));
    const firstPing = await Promise.all(
      peers.map((peer) => new Promise<number>((resolve) => peer.socket.once('ping', () => resolve(Date.now())))),
    );
    const spread = Math.max(...firstPing) - Math.min(...firstPing);
    // A burst would land within a few milliseconds; slices of a 400 ms round are 250 ms apart.
    expect(spread).toBeGreaterThanOrEqual(100);
    for (const peer of peers) peer.socket.close();
  });
});
