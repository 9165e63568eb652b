import type { EventEmitter } from 'node:events';
import type { Clock } from '../../domain/shared/clock';
import type { AccountStatus } from '../../domain/user/account-status';
import {
  EXPIRY_RECONCILE_INTERVAL_MS,
  EXPIRY_RECONCILE_LOOKAHEAD_MS,
  EXPIRY_TICK_INTERVAL_MS,
  OUTBOX_RELAY_GRACE_MS,
  OUTBOX_RELAY_INTERVAL_MS,
  SESSION_SWEEP_LOOKBACK_MS,
} from '../config/limits';
import type { Logger } from '../logging/logger';
import type { SessionRegistry } from '../sessions/session-registry';
import type { SessionTerminator } from '../sessions/session-terminator';
import type { ExpirySchedule } from './expiry-schedule';
import { startPeriodicJob } from './periodic-job';

export interface SafetyNetDeps {
  registry: SessionRegistry;
  terminator: SessionTerminator;
  expiries: ExpirySchedule;
  /** The statuses now of the members whose standing was saved at or after `since` (MongoDB). */
  standingsChangedSince(since: Date): Promise<AccountStatus[]>;
  clock: Clock;
  /** Ends staff-only subscriptions of members whose stored role is no longer staff (a lost signal). */
  endRevokedRights?(): Promise<void>;
  /** Republishes events saved but not yet published for longer than the grace. */
  relayOutbox(graceMs: number): Promise<unknown>;
  sessionSweepIntervalMs: number;
  /** The Redis subscriber connection; null without Redis. Its `close`/`ready` drive the catch-up. */
  redisSubscriber: EventEmitter | null;
  log: Logger;
}

export interface SafetyNets {
  /**
   * Closes the sockets of whoever is blocked now, and sends their status again to the
   * subscribers of members whose standing changed unheard (also on its interval).
   */
  sweepSessions(): Promise<void>;
  /** Plans expiries from MongoDB (also on its interval). */
  reconcileExpiries(): Promise<void>;
  stop(): void;
}

/**
 * MongoDB is the truth and Redis may lose messages, so every live effect has a net besides
 * the fan-out: a periodic session sweep, an expiry schedule reconciled from MongoDB, an
 * outbox relay, and all three at once when Redis comes back after an outage.
 */
export function startSafetyNets(deps: SafetyNetDeps): SafetyNets {
  const { registry, terminator, expiries, log } = deps;
  // Each sweep reads the standings saved since the last sweep that succeeded began, less
  // the lookback (other instances' clocks, writes in flight): a failed sweep leaves its
  // range to the next one, and a restart has no socket older than its own start.
  let coveredFrom = deps.clock.now();
  const sessionSweep = startPeriodicJob(
    'session-sweep',
    deps.sessionSweepIntervalMs,
    async () => {
      const startedAt = deps.clock.now();
      const changed = await deps.standingsChangedSince(new Date(coveredFrom.getTime() - SESSION_SWEEP_LOOKBACK_MS));
      const subscribed = new Set(registry.statusSubscribedUserIds());
      for (const status of changed) {
        if (status.state === 'BLOCKED' && registry.sessionsOf(status.userId).length > 0) {
          await terminator.terminateUser(status.userId, status);
        }
        // A signal lost: staff watching the member, or the member's own subscriptions (a
        // restriction closes no socket), hear the standing they missed.
        if (subscribed.has(status.userId) && registry.missedStanding(status)) registry.pushStatus(status);
      }
      // A drop-of-rights signal lost: staff-only subscriptions to end.
      await deps.endRevokedRights?.();
      coveredFrom = startedAt;
    },
    log,
  );
  const expiryTick = startPeriodicJob('expiry-tick', EXPIRY_TICK_INTERVAL_MS, async () => void (await expiries.settleDue()), log);
  const expiryReconcile = startPeriodicJob(
    'expiry-reconcile',
    EXPIRY_RECONCILE_INTERVAL_MS,
    () => expiries.reconcile(EXPIRY_RECONCILE_LOOKAHEAD_MS),
    log,
  );
  void expiryReconcile.runNow();
  const outboxRelay = startPeriodicJob(
    'outbox-relay',
    OUTBOX_RELAY_INTERVAL_MS,
    async () => void (await deps.relayOutbox(OUTBOX_RELAY_GRACE_MS)),
    log,
  );

  // Signals sent while Redis was away are lost: catch up on each at once.
  let redisWasDown = false;
  const onClose = () => (redisWasDown = true);
  const onReady = () => {
    if (!redisWasDown) return;
    redisWasDown = false;
    log.info({ action: 'redis-reconnected' }, 'redis is back: sweeping sessions, expiries and the outbox');
    void sessionSweep.runNow();
    void expiryReconcile.runNow();
    void outboxRelay.runNow();
  };
  deps.redisSubscriber?.on('close', onClose);
  deps.redisSubscriber?.on('ready', onReady);

  return {
    sweepSessions: () => sessionSweep.runNow(),
    reconcileExpiries: () => expiryReconcile.runNow(),
    stop() {
      for (const job of [sessionSweep, expiryTick, expiryReconcile, outboxRelay]) job.stop();
      deps.redisSubscriber?.off('close', onClose);
      deps.redisSubscriber?.off('ready', onReady);
    },
  };
}
