import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** A WebSocket client written on TCP: it answers nothing by itself, close frames included. */
export interface RawWsTcp {
  tcp: Socket;
  /** Every byte the server sent after its handshake answer. */
  received: Buffer[];
  /** Resolves when the server ends the TCP connection. */
  ended: Promise<void>;
  /** Sends one masked text frame, as a client must. */
  sendText(text: string): void;
}

/** Opens `url`'s WebSocket on TCP and completes the handshake. */
export async function rawWsTcp(url: string, protocol?: string): Promise<RawWsTcp> {
  const { hostname, port, pathname } = new URL(url);
  // Half open, as a WebSocket client is: it still answers once the server's FIN is in.
  const tcp = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
  const received: Buffer[] = [];
  const ended = new Promise<void>((resolve) => tcp.once('end', () => resolve()));
  await new Promise((resolve) => tcp.once('connect', resolve));
  tcp.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : '') +
      '\r\n',
  );
  await new Promise<void>((resolve, reject) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      tcp.off('data', onData);
      if (!head.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(`handshake refused: ${head.subarray(0, end)}`));
      if (head.length > end + 4) received.push(head.subarray(end + 4));
      tcp.on('data', (more: Buffer) => received.push(more));
      resolve();
    };
    tcp.on('data', onData);
  });
  return {
    tcp,
    received,
    ended,
    sendText(text) {
      const payload = Buffer.from(text);
      const mask = randomBytes(4);
      const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
      tcp.write(Buffer.concat([Buffer.from([0x81]), length, mask, payload.map((byte, i) => byte ^ mask[i % 4]!)]));
    },
  };
}

/** The code and reason of the close frame that ends what the server sent (unmasked, short payload). */
export function lastCloseFrame(received: Buffer[]): { code: number; reason: string } {
  let bytes = Buffer.concat(received);
  // Skip whole frames (unmasked, as a server sends) up to the close frame.
  while (bytes.length > 0 && bytes[0] !== 0x88) {
    const short = bytes[1]! & 0x7f;
    const [header, length] = short === 126 ? [4, bytes.readUInt16BE(2)] : [2, short];
    bytes = bytes.subarray(header + length);
  }
  if (bytes[0] !== 0x88) throw new Error('no close frame received');
  const length = bytes[1]! & 0x7f;
  return { code: bytes.readUInt16BE(2), reason: bytes.subarray(4, 2 + length).toString() };
}
