import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { WS_CLOSE_HANDSHAKE_TIMEOUT_MS } from '../config/limits';

/** What `ws` keeps private and this needs: its TCP socket, and whether its sender has frames queued. */
interface WsInternals {
  _socket?: Socket;
  _sender?: { _state?: number };
}
/** ws's sender writes frames at once in this state (no compression nor Blob pending). */
const SENDER_IDLE = 0;

/**
 * Closes `socket` with `code` and ends its TCP connection right behind the close frame, as
 * the server should (RFC 6455 §7.1.1): the client learns the socket is closed as the frame
 * arrives, not a round trip later once its own close frame has been answered. The client's
 * frame is still read; a socket whose close does not finish within
 * WS_CLOSE_HANDSHAKE_TIMEOUT_MS is cut off. A socket already closing is left to that close
 * (a refusal at connect is closed here, then again by graphql-ws's own 4403).
 */
export function closeSocket(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.close(code, reason);
  const internals = socket as unknown as WsInternals;
  // Only when the frame was written at once: an end queued before it would lose the code.
  if (internals._sender?._state === SENDER_IDLE) internals._socket?.end();
  const kill = setTimeout(() => socket.terminate(), WS_CLOSE_HANDSHAKE_TIMEOUT_MS);
  kill.unref();
  socket.once('close', () => clearTimeout(kill));
}
