import type { Clock } from '../../domain/shared/clock';

/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Calls `expire` once `expiresAt` has passed by `clock`, re-checking the clock when the
 * timer fires (a moved test clock, or a wait longer than one timer). Returns the cancel.
 */
export function onTokenExpiry(expiresAt: Date, clock: Clock, expire: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const remaining = expiresAt.getTime() - clock.now().getTime();
    if (remaining <= 0) {
      expire();
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** Whether a socket's token has expired by `clock`. */
export function tokenExpired(expiresAt: Date | null, clock: Clock): boolean {
  return expiresAt !== null && clock.now().getTime() >= expiresAt.getTime();
}
