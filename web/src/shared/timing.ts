/**
 * While blocked, the socket stays closed (no reconnect loop): the standing is re-read over
 * HTTP this often, so an unblock or an approved appeal shows without reload.
 */
export const BLOCKED_STANDING_POLL_MS = 3_000;

/** How often the console re-reads a member's live session count. */
export const SESSION_COUNT_POLL_MS = 5_000;
