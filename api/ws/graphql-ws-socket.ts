import { CloseCode, type WebSocket as ProtocolSocket } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Logger } from '../../infrastructure/logging/logger';
import { closeSocket } from '../../infrastructure/sessions/close-socket';

export const INTERNAL_ERROR = 'Internal server error';

/**
 * A `ws` socket as graphql-ws's server drives it. A class, so its methods are shared by
 * every socket rather than three closures each.
 */
export class GraphQLWsSocket implements ProtocolSocket {
  constructor(
    private readonly socket: WebSocket,
    private readonly log: Logger,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  /**
   * Resolves once the frame is with the kernel: at once when `ws` wrote it straight
   * through, else (a slow reader's socket is backed up) when its write completes, so a
   * subscription never runs ahead of its reader. The write's own callback comes only after
   * every promise continuation queued meanwhile, which put a BLOCKED event's close frame
   * behind the saving request's other work.
   */
  send(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== this.socket.OPEN) return resolve();
      this.socket.send(data, (error) => (error ? reject(error) : resolve()));
      if (this.socket.bufferedAmount === 0) resolve();
    });
  }

  close(code: number, reason: string): void {
    closeSocket(this.socket, code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    // Not an async wrapper: a subscription's handler stays pending for the socket's life,
    // and a wrapper awaiting it would too.
    this.socket.on('message', (data) => {
      handle(String(data)).catch((error: unknown) =>
        closeOnInternalError(this.socket, this.log, error, 'error handling a graphql-ws message'),
      );
    });
  }
}

/** Logs `error` and closes `socket` with 4500 (graphql-ws's internal error). */
export function closeOnInternalError(socket: WebSocket, log: Logger, error: unknown, what: string): void {
  log.error({ action: 'ws-internal-error', err: error }, what);
  closeSocket(socket, CloseCode.InternalServerError, INTERNAL_ERROR);
}
