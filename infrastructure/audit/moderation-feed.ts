import type { PubSubEngine } from 'graphql-subscriptions';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import type { Logger } from '../logging/logger';
import type { SessionRegistry } from '../sessions/session-registry';
import { reviveAuditEntry } from './audit-codec';

/**
 * This instance's one listener on the moderation-events channel: each entry stored by
 * any instance goes to the local admins' `moderationEvents` streams that asked for its
 * type. A thousand admin subscriptions cost one pub/sub subscription.
 */
export class ModerationFeed {
  private subscriptionId: number | null = null;

  constructor(
    private readonly pubsub: PubSubEngine,
    private readonly channel: string,
    private readonly registry: SessionRegistry,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscriptionId = await this.pubsub.subscribe(this.channel, (raw: unknown) => this.onEntry(raw), {});
  }

  stop(): void {
    if (this.subscriptionId !== null) this.pubsub.unsubscribe(this.subscriptionId);
    this.subscriptionId = null;
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
