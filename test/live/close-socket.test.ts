import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { closeSocket } from '../../infrastructure/sessions/close-socket';

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

/** A TCP client that has completed the WebSocket handshake; it answers nothing by itself. */
async function rawClient(): Promise<{ tcp: Socket; received: Buffer[]; ended: Promise<void> }> {
  const { port } = server.address() as { port: number };
  // Half open, as a WebSocket client is: it still answers once the server's FIN is in.
  const tcp = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const received: Buffer[] = [];
  const ended = new Promise<void>((resolve) => tcp.once('end', () => resolve()));
  await new Promise((resolve) => tcp.once('connect', resolve));
  tcp.write(
    `GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      tcp.off('data', onData);
      if (head.length > end + 4) received.push(head.subarray(end + 4));
      tcp.on('data', (more: Buffer) => received.push(more));
      resolve();
    };
    tcp.on('data', onData);
  });
  return { tcp, received, ended };
}

/** The close frame's code and reason from what the server sent (unmasked, short payload). */
function closeFrame(received: Buffer[]): { code: number; reason: string } {
  const bytes = Buffer.concat(received);
  expect(bytes[0]).toBe(0x88);
  const length = bytes[1]! & 0x7f;
  return { code: bytes.readUInt16BE(2), reason: bytes.subarray(4, 2 + length).toString() };
}

test('the TCP connection ends right behind the close frame, before the client has answered', async () => {
  const client = await rawClient();
  const socket = await accepted;
  closeSocket(socket, 4403, 'Account blocked');
  await client.ended;
  expect(closeFrame(client.received)).toEqual({ code: 4403, reason: 'Account blocked' });
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
