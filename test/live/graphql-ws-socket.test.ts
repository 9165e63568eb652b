import type { Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { GraphQLWsSocket } from '../../api/ws/graphql-ws-socket';
import { createLogger } from '../../infrastructure/logging/logger';

// What graphql-ws waits for before it takes a subscription's next event: `send`'s promise.

let server: WebSocketServer;
let serverSide: WebSocket;
let client: WebSocket;
let received: string[];

beforeEach(async () => {
  server = new WebSocketServer({ port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  client = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`);
  received = [];
  client.on('message', (data) => received.push(String(data)));
  serverSide = await accepted;
  await new Promise((resolve) => client.once('open', resolve));
});
afterEach(async () => {
  client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

function adapter(): GraphQLWsSocket {
  return new GraphQLWsSocket(serverSide, createLogger('test'));
}

/** Records, in order, when `ws` calls back a write on the server's socket. */
function watchWriteCallbacks(order: string[]): void {
  const send = serverSide.send.bind(serverSide);
  serverSide.send = ((data: string, callback: (error?: Error) => void) =>
    send(data, (error?: Error) => {
      order.push('write callback');
      callback(error);
    })) as typeof serverSide.send;
}

test('a frame written straight through resolves at once, before ws calls back its write', async () => {
  const order: string[] = [];
  watchWriteCallbacks(order);
  await adapter()
    .send('{"type":"next"}')
    .then(() => order.push('resolved'));
  expect(order[0]).toBe('resolved');
  await new Promise((resolve) => client.once('message', resolve));
  expect(received).toEqual(['{"type":"next"}']);
});

test('a backed-up socket holds the promise until its write completes', async () => {
  const tcp = (serverSide as unknown as { _socket: Socket })._socket;
  tcp.cork();
  let resolved = false;
  const sent = adapter()
    .send('{"type":"next"}')
    .then(() => (resolved = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(serverSide.bufferedAmount).toBeGreaterThan(0);
  expect(resolved).toBe(false);
  tcp.uncork();
  await sent;
  expect(resolved).toBe(true);
});

test('a socket no longer open resolves without sending', async () => {
  serverSide.close(1000, 'bye');
  const order: string[] = [];
  watchWriteCallbacks(order);
  await adapter().send('{"type":"next"}');
  expect(order).toEqual([]);
});
