import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../infrastructure/logging/logger';
import { closeSocket } from '../../infrastructure/sessions/close-socket';
import { closeOnInternalError, GraphQLWsSocket, INTERNAL_ERROR } from './graphql-ws-socket';
import { startKeepAlive } from './keep-alive';

/** What graphql-ws's hooks see of a socket (`ctx.extra`). The upgrade request is not kept. */
export interface WsExtra {
  readonly socket: WebSocket;
  /** The client's address as the socket was opened (api/rate-limit/client-ip.ts). */
  readonly clientIp: string | null;
}

export interface WsTransportOptions {
  keepAliveMs: number;
  connectionInitWaitMs: number;
  clientIpOf(request: IncomingMessage): string | null;
  log: Logger;
}

/**
 * graphql-ws's protocol on a `ws` server: what graphql-ws/use/ws does, shaped for ten
 * thousand idle sockets per instance. One keep-alive timer for the instance, not an
 * interval, a pong timeout and a pong listener per socket; the connection_init wait is a
 * timer that is let go once the init arrives (graphql-ws keeps its own for the socket's
 * life); no handler stays suspended per socket; the upgrade request is read for the
 * client's address and dropped.
 */
export function serveGraphQLWs<P extends Record<string, unknown> | undefined>(
  wss: WebSocketServer,
  serverOptions: ServerOptions<P, WsExtra>,
  options: WsTransportOptions,
): { dispose(): Promise<void> } {
  const { log } = options;
  const awaitingInit = new Map<WebSocket, NodeJS.Timeout>();
  const initReceived = (socket: WebSocket) => {
    clearTimeout(awaitingInit.get(socket));
    awaitingInit.delete(socket);
  };
  const server = makeServer<P, WsExtra>({
    ...serverOptions,
    connectionInitWaitTimeout: 0,
    onConnect(ctx) {
      initReceived(ctx.extra.socket);
      return serverOptions.onConnect?.(ctx);
    },
  });
  function onSocketError(this: WebSocket, error: Error): void {
    closeOnInternalError(this, log, error, 'error on a WebSocket');
  }

  wss.options.handleProtocols = handleProtocols;
  wss.once('error', (error) => {
    log.error({ action: 'ws-internal-error', err: error }, 'error on the WebSocket server');
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, INTERNAL_ERROR);
  });
  wss.on('connection', (socket, request) => {
    socket.on('error', onSocketError);
    if (options.connectionInitWaitMs > 0) {
      awaitingInit.set(socket, setTimeout(closeUninitialised, options.connectionInitWaitMs, socket));
    }
    const closed = server.opened(
      new GraphQLWsSocket(socket, log),
      { socket, clientIp: options.clientIpOf(request) },
    );
    socket.on('close', (code, reason) => {
      initReceived(socket);
      closed(code, String(reason)).catch((error: unknown) =>
        log.error({ action: 'ws-internal-error', err: error }, 'error closing a graphql-ws socket'),
      );
    });
  });
  const keepAlive = startKeepAlive(wss, options.keepAliveMs);

  return {
    async dispose() {
      keepAlive.stop();
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function closeUninitialised(socket: WebSocket): void {
  closeSocket(socket, CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
}
