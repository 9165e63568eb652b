import type { AccountStatus } from '../../domain/user/account-status';
import { WS_CLOSE_HANDSHAKE_TIMEOUT_MS } from '../config/limits';
import type { Logger } from '../logging/logger';
import { CLOSE_REASON, WardenCloseCode } from './close-codes';
import type { LiveSession } from './live-session';
import type { SessionRegistry } from './session-registry';

/**
 * Ends a member's sockets on this instance: each `accountStatus` subscription first
 * receives `status`, then the socket is closed with `code`. A socket whose close
 * handshake does not finish in WS_CLOSE_HANDSHAKE_TIMEOUT_MS is terminated.
 */
export class SessionTerminator {
  constructor(
    private readonly registry: SessionRegistry,
    private readonly log: Logger,
  ) {}

  /** @returns how many sockets were closed */
  async terminateUser(
    userId: string,
    status: AccountStatus | null,
    code: WardenCloseCode = WardenCloseCode.AccountBlocked,
  ): Promise<number> {
    const sessions = this.registry.sessionsOf(userId).filter((session) => !session.closing);
    await Promise.all(sessions.map((session) => this.terminate(session, status, code)));
    if (sessions.length > 0) {
      this.log.info({ userId, action: 'sessions-terminated', sockets: sessions.length, code }, 'closed live sessions');
    }
    return sessions.length;
  }

  async terminate(
    session: LiveSession,
    status: AccountStatus | null,
    code: WardenCloseCode,
    reason: string = CLOSE_REASON[code],
  ): Promise<void> {
    if (session.closing) return;
    session.closing = true;
    if (status) {
      // A stuck consumer must not keep a blocked member connected: deliver or time out.
      const delivered = Promise.all([...session.statusStreams].map((stream) => stream.push(status)));
      await withTimeout(delivered, WS_CLOSE_HANDSHAKE_TIMEOUT_MS);
    }
    const { socket } = session;
    socket.close(code, reason);
    const kill = setTimeout(() => socket.terminate(), WS_CLOSE_HANDSHAKE_TIMEOUT_MS);
    kill.unref();
    socket.once('close', () => clearTimeout(kill));
    this.registry.remove(session);
  }
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
