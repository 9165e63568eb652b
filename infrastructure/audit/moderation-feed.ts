import type { PubSubEngine } from 'graphql-subscriptions';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import type { Logger } from '../logging/logger';
import type { SessionRegistry } from '../sessions/session-registry';
import { ChannelListener } from '../events/channel-listener';
import { reviveAuditEntry } from './audit-codec';

/**
 * This instance's one listener on the moderation-events channel: each entry stored by
 * any instance goes to the local admins' `moderationEvents` streams that asked for its
 * type. A thousand admin subscriptions cost one pub/sub subscription.
 */
export class ModerationFeed {
  private readonly listener: ChannelListener;

  constructor(
    pubsub: PubSubEngine,
    channel: string,
    private readonly registry: SessionRegistry,
    private readonly log: Logger,
  ) {
    this.listener = new ChannelListener(pubsub, { [channel]: (raw) => this.onEntry(raw) });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): void {
    this.listener.stop();
  }

  private onEntry(raw: unknown): void {
    let entry: AuditEntry;
    try {
      entry = reviveAuditEntry(raw);
    } catch (error) {
      this.log.warn({ err: error, action: 'bad-signal' }, 'ignored a malformed moderation event');
      return;
    }
    for (const watch of this.registry.moderationWatchers()) {
      if (!watch.types || watch.types.has(entry.type)) void watch.stream.push(entry);
    }
  }
}
