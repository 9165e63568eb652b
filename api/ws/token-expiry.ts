import type { Clock } from '../../domain/shared/clock';
import { TOKEN_EXPIRY_SWEEP_MS } from '../../infrastructure/config/limits';
import type { LiveSession } from '../../infrastructure/sessions/live-session';
import type { SessionRegistry } from '../../infrastructure/sessions/session-registry';

/**
 * Every TOKEN_EXPIRY_SWEEP_MS, calls `expire` for each session here whose token has run
 * out (`tokenRunsOutAt`): one pass over the sessions (well under a millisecond at ten
 * thousand) instead of a timer per socket.
 */
export function startTokenExpirySweep(
  registry: Pick<SessionRegistry, 'allSessions'>,
  expire: (session: LiveSession) => void,
): { stop(): void } {
  const timer = setInterval(() => {
    const now = performance.now();
    for (const session of registry.allSessions()) {
      if (!session.closing && session.tokenRunsOutAt !== null && now >= session.tokenRunsOutAt) expire(session);
    }
  }, TOKEN_EXPIRY_SWEEP_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Whether a socket's token has expired by `clock`. */
export function tokenExpired(expiresAt: Date | null, clock: Clock): boolean {
  return expiresAt !== null && clock.now().getTime() >= expiresAt.getTime();
}
