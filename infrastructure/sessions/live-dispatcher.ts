import type { PubSubEngine } from 'graphql-subscriptions';
import { Message } from '../../domain/messaging/message.aggregate';
import type { Clock } from '../../domain/shared/clock';
import type { AccountStatus } from '../../domain/user/account-status';
import { OUTBOX_RELAY_GRACE_MS } from '../config/limits';
import { BoundedMap } from '../shared/bounded-map';
import type { Channels } from '../events/channels';
import { reviveAccountStatusSignal, reviveMessage, type AccountStatusSignal } from '../events/event-codec';
import type { Logger } from '../logging/logger';
import { ChannelListener } from '../events/channel-listener';
import type { SessionRegistry } from './session-registry';
import type { SessionTerminator } from './session-terminator';

const SEEN_EVENT_IDS = 10_000;

export interface LiveDispatcherDeps {
  pubsub: PubSubEngine;
  channels: Channels;
  registry: SessionRegistry;
  terminator: SessionTerminator;
  clock: Clock;
  /** The member's status as MongoDB has it now; null when there is no such member. */
  currentStatus(userId: string): Promise<AccountStatus | null>;
  /** Told every account status signalled, once (the expiry schedule listens). */
  onAccountStatus?(status: AccountStatus): void;
  /** Told how long a BLOCKED signal took, from receipt to its last local socket closed (metrics). */
  onSocketsTerminated?(seconds: number): void;
  log: Logger;
}

/**
 * This instance's one listener per channel. It routes each signal to the local sockets
 * concerned, so a thousand subscriptions cost one Redis subscription, not a thousand.
 * Idempotent: a signal seen twice (outbox relay, several settlers of one expiry) does
 * nothing the second time.
 */
export class LiveDispatcher {
  /** Event ids already acted on, the oldest forgotten first. */
  private readonly seen = new BoundedMap<string, true>(SEEN_EVENT_IDS);
  private readonly listener: ChannelListener;

  constructor(private readonly deps: LiveDispatcherDeps) {
    this.listener = new ChannelListener(deps.pubsub, {
      [deps.channels.accountStatus]: (raw) => this.receiveStatus(raw),
      [deps.channels.messageSent]: (raw) => this.onMessage(raw),
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): void {
    this.listener.stop();
  }

  /** An account-status signal, from Redis or from this instance's own publisher. */
  receiveStatus(raw: unknown): void {
    void this.onStatus(raw);
  }

  private async onStatus(raw: unknown): Promise<void> {
    const { registry, terminator, log } = this.deps;
    let signal: AccountStatusSignal;
    try {
      signal = reviveAccountStatusSignal(raw);
    } catch (error) {
      log.warn({ err: error, action: 'bad-signal' }, 'ignored a malformed account-status signal');
      return;
    }
    if (this.alreadySeen(signal.eventId)) return;
    const received = process.hrtime.bigint();
    const status = await this.stillTrue(signal.status);
    if (!status) return;
    this.deps.onAccountStatus?.(status);
    if (status.state === 'BLOCKED') {
      for (const watcher of registry.watchersOf(status.userId)) void watcher.push(status);
      const closed = await terminator.terminateUser(status.userId, status);
      if (closed > 0) this.deps.onSocketsTerminated?.(Number(process.hrtime.bigint() - received) / 1e9);
      return;
    }
    // Unblocked, or a restriction placed, lifted or run out: every status subscription of
    // the member hears it and every socket stays open.
    registry.pushStatus(status);
  }

  /**
   * A signal older than the outbox relay's grace is a replay of an event whose first
   * publish failed, and the member may have been unblocked since: acting on it would
   * close the sockets of an active member, whose client then stops retrying. Such a
   * signal is checked against MongoDB first; a fresh one is acted on at once.
   */
  private async stillTrue(status: AccountStatus): Promise<AccountStatus | null> {
    const age = this.deps.clock.now().getTime() - status.changedAt.getTime();
    if (age < OUTBOX_RELAY_GRACE_MS) return status;
    try {
      return await this.deps.currentStatus(status.userId);
    } catch (error) {
      // MongoDB cannot say: the signal is the best knowledge there is, and the sweep will
      // correct it once MongoDB answers again.
      this.deps.log.warn({ err: error, userId: status.userId, action: 'replay-unchecked' }, 'replayed signal not checked');
      return status;
    }
  }

  private onMessage(raw: unknown): void {
    const message = Message.rehydrate(reviveMessage(raw));
    for (const session of this.deps.registry.sessionsOf(message.recipientId)) {
      for (const stream of session.messageStreams) void stream.push(message);
    }
  }

  private alreadySeen(eventId: string): boolean {
    if (this.seen.has(eventId)) return true;
    this.seen.set(eventId, true);
    return false;
  }
}
