import { randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import { closeSocket } from '../../infrastructure/sessions/close-socket';
import { lastCloseFrame, rawWsTcp } from '../support/raw-ws-tcp';

// A bare `ws` server and a client written on TCP, so the test decides whether the client
// ever answers the close frame.

let server: WebSocketServer;
let accepted: Promise<WebSocket>;
beforeEach(async () => {
  server = new WebSocketServer({ port: 0 });
  accepted = new Promise((resolve) => server.once('connection', resolve));
  await new Promise((resolve) => server.once('listening', resolve));
});
afterEach(() => new Promise((resolve) => server.close(resolve)));

function rawClient() {
  return rawWsTcp(`ws://127.0.0.1:${(server.address() as { port: number }).port}/`);
}

test('the TCP connection ends right behind the close frame, before the client has answered', async () => {
  const client = await rawClient();
  const socket = await accepted;
  closeSocket(socket, 4403, 'Account blocked');
  await client.ended;
  expect(lastCloseFrame(client.received)).toEqual({ code: 4403, reason: 'Account blocked' });
  // Still waiting for the client's close frame: the end came from the close, not from a
  // socket cut off for want of an answer.
  expect(socket.readyState).toBe(WebSocket.CLOSING);
  client.tcp.destroy();
});

test("the client's answer still completes the closing handshake with the code sent", async () => {
  const client = await rawClient();
  const socket = await accepted;
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  closeSocket(socket, 4403, 'Account blocked');
  await client.ended;
  // A masked close frame with the same code, as a client answers.
  const mask = randomBytes(4);
  const payload = Buffer.from([0x11, 0x33]).map((byte, i) => byte ^ mask[i % 4]!);
  client.tcp.end(Buffer.concat([Buffer.from([0x88, 0x80 | 2]), mask, payload]));
  expect(await closed).toBe(4403);
});

test('a socket already closing is left to that close: no second end, timer or listener', async () => {
  const client = await rawClient();
  const socket = await accepted;
  closeSocket(socket, 4403, 'Account blocked');
  const listeners = socket.listenerCount('close');
  closeSocket(socket, 4403, 'Forbidden');
  expect(socket.listenerCount('close')).toBe(listeners);
  await client.ended;
  expect(lastCloseFrame(client.received)).toEqual({ code: 4403, reason: 'Account blocked' });
  client.tcp.destroy();
});
