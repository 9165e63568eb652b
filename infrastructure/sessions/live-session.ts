import type { WebSocket } from 'ws';
import type { AccountStatus } from '../../domain/user/account-status';
import type { Message } from '../../domain/messaging/message.aggregate';
import type { Role } from '../../domain/user/role';
import { flatUuid } from '../shared/flat-uuid';
import type { PushStream } from './push-stream';
import { StreamSet } from './stream-set';

/** One authenticated graphql-ws socket of a member, as this instance tracks it. */
export interface LiveSession {
  readonly id: string;
  readonly userId: string;
  /** The role of the token the socket was opened with: its rights never exceed it. */
  readonly role: Role;
  readonly socket: WebSocket;
  /** The client's address as the socket was opened (api/rate-limit/client-ip.ts). */
  readonly clientIp: string | null;
  /** The `exp` of the token the socket was opened with: it is closed with 4401 then. */
  readonly expiresAt: Date | null;
  /**
   * When, on `performance.now()`'s scale, that token runs out: the time it had left by the
   * instance's clock as the socket opened. The expiry sweep reads this.
   */
  readonly tokenRunsOutAt: number | null;
  /** The member's own `accountStatus` subscriptions on this socket. */
  readonly statusStreams: StreamSet<PushStream<AccountStatus>>;
  /** The member's `messageAdded` subscriptions on this socket. */
  readonly messageStreams: StreamSet<PushStream<Message>>;
  /**
   * Subscriptions on this socket that need staff rights (`moderationEvents`,
   * `accountStatus(userId)` of someone else): ended when the member's rights drop.
   */
  readonly staffStreams: StreamSet<{ end(): void }>;
  /** Set once the socket started closing; nothing is added to a closing session. */
  closing: boolean;
}

export function createLiveSession(
  userId: string,
  role: Role,
  socket: WebSocket,
  clientIp: string | null = null,
  expiresAt: Date | null = null,
  now: Date = new Date(),
): LiveSession {
  return {
    id: flatUuid(),
    userId,
    role,
    socket,
    clientIp,
    expiresAt,
    tokenRunsOutAt: expiresAt && performance.now() + (expiresAt.getTime() - now.getTime()),
    statusStreams: new StreamSet(),
    messageStreams: new StreamSet(),
    staffStreams: new StreamSet(),
    closing: false,
  };
}
