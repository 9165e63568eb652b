/**
 * WebSocket close codes Warden uses, beside graphql-ws's own (4400 bad request,
 * 4408 no connection_init in time, 4409 duplicate subscription id, 4429 too many inits).
 */
export enum WardenCloseCode {
  /**
   * Missing, malformed, expired or badly signed token; also an open socket whose token's
   * `exp` passed (reason `Unauthorized: token expired`). Clients should not retry with the
   * same token: they renew it and reconnect.
   */
  Unauthorized = 4401,
  /**
   * The member is blocked: refused at connect, or closed when the block lands. The
   * graphql-ws client retries 4403 by default; Warden clients must set `shouldRetry` to
   * refuse it, since a retry is refused again while the block holds.
   */
  AccountBlocked = 4403,
  /** An admin ended the member's sessions without blocking; reconnecting is allowed. */
  ForceDisconnected = 4000,
  /**
   * The member already has MAX_SOCKETS_PER_MEMBER sockets open (1008, policy violation, in
   * the private range). Clients should reuse a socket; reconnecting succeeds once one closed.
   */
  TooManySockets = 4008,
  /** MongoDB could not be reached to authenticate the socket; retry later. */
  ServiceUnavailable = 1013,
  /**
   * Too many `connection_init`s or failed authentications from the client's IP (the same
   * code graphql-ws uses for a second `connection_init` on one socket). The reason reads
   * `Rate limited: retry after <seconds> s`. The stock graphql-ws client does not retry
   * 4429; Warden clients reconnect once that many seconds have passed.
   */
  RateLimited = 4429,
}

/**
 * Close codes after which reconnecting cannot succeed until something changes: the one
 * table every Warden client (client/ for Node, web/ for browsers) gives `shouldRetry`.
 */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  WardenCloseCode.Unauthorized, // bad or expired token: get a new one first
  WardenCloseCode.AccountBlocked, // a retry is refused again while the block holds
  WardenCloseCode.RateLimited, // the close reason says when to come back
  WardenCloseCode.TooManySockets, // MAX_SOCKETS_PER_MEMBER open already: reuse one of them
]);

/** Whether a graphql-ws close event ends the session for good (see TERMINAL_CLOSE_CODES). */
export function isTerminalClose(event: unknown): boolean {
  return typeof event === 'object' && event !== null && TERMINAL_CLOSE_CODES.has((event as { code?: number }).code ?? 0);
}

/** `ws` refuses close reasons over 123 bytes; all of these stay well under. */
export const CLOSE_REASON = {
  [WardenCloseCode.Unauthorized]: 'Unauthorized',
  [WardenCloseCode.AccountBlocked]: 'Forbidden: account blocked',
  [WardenCloseCode.ForceDisconnected]: 'Disconnected by an administrator',
  [WardenCloseCode.TooManySockets]: 'Too many open connections for this member',
  [WardenCloseCode.ServiceUnavailable]: 'Service unavailable, try again later',
  [WardenCloseCode.RateLimited]: 'Rate limited',
} as const;

/** The close reason of a socket closed because its token's `exp` passed. */
export const TOKEN_EXPIRED_REASON = `${CLOSE_REASON[WardenCloseCode.Unauthorized]}: token expired`;

/** The close reason of a 4429: `Rate limited: retry after 42 s`. */
export function rateLimitedCloseReason(retryAfterSeconds: number): string {
  return `${CLOSE_REASON[WardenCloseCode.RateLimited]}: retry after ${retryAfterSeconds} s`;
}
