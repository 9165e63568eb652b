import type { WebSocket, WebSocketServer } from 'ws';
import { WS_KEEP_ALIVE_TICK_MS } from '../../infrastructure/config/limits';

/**
 * One timer for every socket's keep-alive, instead of graphql-ws's interval (and pong
 * timeout, and pong listener) per socket: each socket is pinged once per `intervalMs`, and
 * one that has not answered the previous ping by then is terminated, so a dead peer goes
 * within two intervals, as with graphql-ws. Each wake handles its slice of the sockets,
 * so ten thousand pings are spread over the interval, not sent in one burst.
 */
export function startKeepAlive(wss: WebSocketServer, intervalMs: number): { stop(): void } {
  const awaitingPong = new WeakSet<WebSocket>();
  function answered(this: WebSocket): void {
    awaitingPong.delete(this);
  }
  wss.on('connection', (socket) => socket.on('pong', answered));

  let round: Iterator<WebSocket> | null = null;
  const ticksPerRound = Math.max(1, Math.round(intervalMs / WS_KEEP_ALIVE_TICK_MS));
  const timer = setInterval(() => {
    // A Set's iterator survives additions and removals: sockets opened during a round are
    // visited in it, closed ones are skipped.
    const slice = Math.ceil(wss.clients.size / ticksPerRound);
    round ??= wss.clients.values();
    for (let done = 0; done < slice; done++) {
      const next = round.next();
      if (next.done) {
        round = null;
        return;
      }
      const socket = next.value;
      if (socket.readyState !== socket.OPEN) continue;
      if (awaitingPong.has(socket)) {
        socket.terminate();
        continue;
      }
      awaitingPong.add(socket);
      socket.ping();
    }
  }, WS_KEEP_ALIVE_TICK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
