import type { AccountStatus } from '../../domain/user/account-status';
import { RECENT_BLOCK_SIGNALS, WS_CLOSE_HANDSHAKE_TIMEOUT_MS } from '../config/limits';
import { BoundedMap } from '../shared/bounded-map';
import type { Logger } from '../logging/logger';
import { CLOSE_REASON, WardenCloseCode } from './close-codes';
import { closeSocket } from './close-socket';
import type { LiveSession } from './live-session';
import type { SessionRegistry } from './session-registry';

/**
 * Ends a member's sockets on this instance: each `accountStatus` subscription first
 * receives `status`, then the socket is closed with `code` (close-socket.ts).
 */
export class SessionTerminator {
  /** When each member's sockets were last closed here for a block, and with which status. */
  private readonly blockedAt = new BoundedMap<string, { at: number; status: AccountStatus | null }>(RECENT_BLOCK_SIGNALS);

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
    if (code === WardenCloseCode.AccountBlocked) this.blockedAt.set(userId, { at: performance.now(), status });
    const sessions = this.registry.sessionsOf(userId).filter((session) => !session.closing);
    await Promise.all(sessions.map((session) => this.terminate(session, status, code)));
    if (sessions.length > 0) {
      this.log.info({ userId, action: 'sessions-terminated', sockets: sessions.length, code }, 'closed live sessions');
    }
    return sessions.length;
  }

  /**
   * A block signalled here at or after `since` (a `performance.now()` reading), if any. A
   * socket is registered only after its member was read: a block whose signal landed in
   * between closed no socket of it, and is found here instead of by a second read.
   */
  blockedSince(userId: string, since: number): { status: AccountStatus | null } | undefined {
    const last = this.blockedAt.get(userId);
    return last && last.at >= since ? last : undefined;
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
    closeSocket(session.socket, code, reason);
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
