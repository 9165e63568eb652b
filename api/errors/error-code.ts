/** The contract's `extensions.code` values: the only codes a client ever sees. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  ACCOUNT_BLOCKED: 'ACCOUNT_BLOCKED',
  /**
   * A restriction refused a member's action; extensions carry `action`, `restrictionId`,
   * `reason`, `userMessage`, `expiresAt` and, when its categories decided it, `category`.
   */
  ACTION_RESTRICTED: 'ACTION_RESTRICTED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A rate limit refused the request; extensions carry `retryAfter` (seconds) and `limit`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** A query or mutation ran past OPERATION_TIMEOUT_MS and was stopped; `extensions.limit` says so. */
  TIMEOUT: 'TIMEOUT',
  /** The request cannot be served on this transport (a subscription over HTTP). */
  BAD_REQUEST: 'BAD_REQUEST',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}
