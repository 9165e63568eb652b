import type { PubSubEngine } from 'graphql-subscriptions';

/** What to do with each message of each channel; a handler never throws. */
export type ChannelHandlers = Record<string, (raw: unknown) => void>;

/**
 * An instance's subscription to some pub/sub channels: one per channel however many
 * local subscribers there are; `stop` unsubscribes them all and may be called again.
 */
export class ChannelListener {
  private subscriptionIds: number[] = [];

  constructor(
    private readonly pubsub: PubSubEngine,
    private readonly handlers: ChannelHandlers,
  ) {}

  async start(): Promise<void> {
    this.subscriptionIds = await Promise.all(
      Object.entries(this.handlers).map(([channel, handler]) => this.pubsub.subscribe(channel, handler, {})),
    );
  }

  stop(): void {
    for (const id of this.subscriptionIds) this.pubsub.unsubscribe(id);
    this.subscriptionIds = [];
  }
}
