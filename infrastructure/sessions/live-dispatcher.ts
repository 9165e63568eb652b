import type { PubSubEngine } from 'graphql-subscriptions';
import { Message } from '../../domain/messaging/message.aggregate';
import type { AccountStatus } from '../../domain/user/account-status';
import type { Channels } from '../events/channels';
import { reviveAccountStatusSignal, reviveMessage, type AccountStatusSignal } from '../events/event-codec';
import type { Logger } from '../logging/logger';
import type { SessionRegistry } from './session-registry';
import type { SessionTerminator } from './session-terminator';

const SEEN_EVENT_IDS = 10_000;

/**
 * This instance's one listener per channel. It routes each signal to the local sockets
 * concerned, so a thousand subscriptions cost one Redis subscription, not a thousand.
 * Idempotent: a signal seen twice (outbox relay, several settlers of one expiry) does
 * nothing the second time.
 */
export class LiveDispatcher {
  private readonly seen = new Set<string>();
  private subscriptionIds: number[] = [];

  constructor(
    private readonly pubsub: PubSubEngine,
    private readonly channels: Channels,
    private readonly registry: SessionRegistry,
    private readonly terminator: SessionTerminator,
    private readonly log: Logger,
    /** Told every account status signalled, once (the expiry schedule listens). */
    private readonly onAccountStatus: (status: AccountStatus) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.subscriptionIds = await Promise.all([
      this.pubsub.subscribe(this.channels.accountStatus, (raw: unknown) => void this.onStatus(raw), {}),
      this.pubsub.subscribe(this.channels.messageSent, (raw: unknown) => this.onMessage(raw), {}),
    ]);
  }

  stop(): void {
    for (const id of this.subscriptionIds) this.pubsub.unsubscribe(id);
    this.subscriptionIds = [];
  }

  private async onStatus(raw: unknown): Promise<void> {
    let signal: AccountStatusSignal;
    try {
      signal = reviveAccountStatusSignal(raw);
    } catch (error) {
      this.log.warn({ err: error, action: 'bad-signal' }, 'ignored a malformed account-status signal');
      return;
    }
    if (this.alreadySeen(signal.eventId)) return;
    const { status } = signal;
    this.onAccountStatus(status);
    for (const watcher of this.registry.watchersOf(status.userId)) void watcher.push(status);
    if (status.state === 'BLOCKED') {
      await this.terminator.terminateUser(status.userId, status);
    }
  }

  private onMessage(raw: unknown): void {
    const message = Message.rehydrate(reviveMessage(raw));
    for (const session of this.registry.sessionsOf(message.recipientId)) {
      for (const stream of session.messageStreams) void stream.push(message);
    }
  }

  private alreadySeen(eventId: string): boolean {
    if (this.seen.has(eventId)) return true;
    this.seen.add(eventId);
    if (this.seen.size > SEEN_EVENT_IDS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return false;
  }
}
