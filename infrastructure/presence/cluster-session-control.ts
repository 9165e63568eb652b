import { randomUUID } from 'node:crypto';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { DisconnectOutcome, SessionControl } from '../../domain/ports/session-control';
import { FORCE_DISCONNECT_REPLY_TIMEOUT_MS } from '../config/limits';
import type { Channels } from '../events/channels';
import type { Logger } from '../logging/logger';
import { WardenCloseCode } from '../sessions/close-codes';
import type { SessionTerminator } from '../sessions/session-terminator';
import { ChannelListener } from '../events/channel-listener';
import type { Presence } from './presence';

/** Published on `channels.forceDisconnect`: close the member's sockets and say how many. */
interface DisconnectRequest {
  requestId: string;
  userId: string;
  correlationId: string;
  /** InstanceIdentity.key of the requester, which handles its own sockets directly. */
  from: string;
}

/** Published on `channels.forceDisconnectReply` by every instance that heard a request. */
interface DisconnectReply {
  requestId: string;
  /** InstanceIdentity.key and .name of the answering instance. */
  key: string;
  instance: string;
  socketsClosed: number;
}

interface Pending {
  /** Keys of the live instances still to answer. */
  waitingFor: Map<string, string>;
  replies: Map<string, { instance: string; socketsClosed: number }>;
  done: () => void;
}

export interface ClusterSessionControlOptions {
  /** How long to wait for the other instances' answers. @default FORCE_DISCONNECT_REPLY_TIMEOUT_MS */
  replyTimeoutMs?: number;
}

/**
 * SessionControl over pub/sub and presence. A force-disconnect is a request on a prefixed
 * channel: every instance closes its local sockets of the member (SessionTerminator, close
 * code 4000, no status event since nothing about the account changed) and answers on the
 * reply channel with its count. The requester closes its own sockets directly, and sums the
 * answers until every instance presence knows to be alive has answered or the reply timeout
 * passes. With in-process pub/sub (no Redis) it is the only instance and answers alone.
 *
 * Idempotent by nature: a request heard twice finds no socket left the second time.
 */
export class ClusterSessionControl implements SessionControl {
  private readonly pending = new Map<string, Pending>();
  private readonly listener: ChannelListener;

  constructor(
    private readonly pubsub: PubSubEngine,
    private readonly channels: Channels,
    private readonly terminator: SessionTerminator,
    private readonly presence: Presence,
    private readonly log: Logger,
    private readonly options: ClusterSessionControlOptions = {},
  ) {
    this.listener = new ChannelListener(pubsub, {
      [channels.forceDisconnect]: (raw) => void this.onRequest(raw),
      [channels.forceDisconnectReply]: (raw) => this.onReply(raw),
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): void {
    this.listener.stop();
    for (const pending of this.pending.values()) pending.done();
  }

  activeSessionCount(userId: string): Promise<number> {
    return this.presence.activeSessionCount(userId);
  }

  async disconnectEverywhere(userId: string, correlationId: string): Promise<DisconnectOutcome> {
    const self = this.presence.instance;
    const requestId = randomUUID();
    const log = this.log.child({ userId, correlationId, action: 'force-disconnect' });

    let others: Map<string, string>;
    try {
      others = new Map(
        (await this.presence.liveInstances()).filter((i) => i.key !== self.key).map((i) => [i.key, i.name]),
      );
    } catch (error) {
      // Redis is down: the publish below fails too; this instance's sockets still close.
      log.warn({ err: error }, 'presence unavailable: cannot tell which instances to wait for');
      others = new Map();
    }

    let done!: () => void;
    const allAnswered = new Promise<void>((resolve) => (done = resolve));
    const pending: Pending = { waitingFor: others, replies: new Map(), done };
    if (others.size === 0) done();
    // Registered before publishing: an answer can come back before publish() resolves.
    this.pending.set(requestId, pending);
    const timer = setTimeout(done, this.options.replyTimeoutMs ?? FORCE_DISCONNECT_REPLY_TIMEOUT_MS);
    try {
      const request: DisconnectRequest = { requestId, userId, correlationId, from: self.key };
      await this.pubsub.publish(this.channels.forceDisconnect, request).catch((error: unknown) => {
        log.warn({ err: error }, 'force-disconnect request not published: only this instance closed its sockets');
        done();
      });
      const [local] = await Promise.all([
        this.terminator.terminateUser(userId, null, WardenCloseCode.ForceDisconnected),
        allAnswered,
      ]);

      let socketsClosed = local;
      const instances = [self.name];
      for (const reply of pending.replies.values()) {
        socketsClosed += reply.socketsClosed;
        instances.push(reply.instance);
      }
      const unanswered = [...pending.waitingFor.values()].sort();
      if (unanswered.length > 0) log.warn({ unanswered }, 'instances did not answer in time; their sockets are not counted');
      log.info({ socketsClosed, instances }, 'force-disconnected a member');
      return { socketsClosed, instances: instances.sort(), unanswered };
    } finally {
      clearTimeout(timer);
      this.pending.delete(requestId);
    }
  }

  private async onRequest(raw: unknown): Promise<void> {
    if (!isRequest(raw)) {
      this.log.warn({ action: 'bad-signal' }, 'ignored a malformed force-disconnect request');
      return;
    }
    const self = this.presence.instance;
    if (raw.from === self.key) return;
    try {
      const socketsClosed = await this.terminator.terminateUser(raw.userId, null, WardenCloseCode.ForceDisconnected);
      const reply: DisconnectReply = { requestId: raw.requestId, key: self.key, instance: self.name, socketsClosed };
      await this.pubsub.publish(this.channels.forceDisconnectReply, reply);
    } catch (error) {
      this.log.warn(
        { err: error, action: 'force-disconnect', userId: raw.userId, correlationId: raw.correlationId },
        'could not answer a force-disconnect request',
      );
    }
  }

  private onReply(raw: unknown): void {
    if (!isReply(raw)) {
      this.log.warn({ action: 'bad-signal' }, 'ignored a malformed force-disconnect reply');
      return;
    }
    const pending = this.pending.get(raw.requestId);
    // Another instance's request, or one that already timed out.
    if (!pending || pending.replies.has(raw.key)) return;
    pending.replies.set(raw.key, { instance: raw.instance, socketsClosed: raw.socketsClosed });
    pending.waitingFor.delete(raw.key);
    if (pending.waitingFor.size === 0) pending.done();
  }
}

function isRequest(raw: unknown): raw is DisconnectRequest {
  const value = raw as Partial<DisconnectRequest> | null;
  return (
    typeof value?.requestId === 'string' &&
    typeof value.userId === 'string' &&
    typeof value.correlationId === 'string' &&
    typeof value.from === 'string'
  );
}

function isReply(raw: unknown): raw is DisconnectReply {
  const value = raw as Partial<DisconnectReply> | null;
  return (
    typeof value?.requestId === 'string' &&
    typeof value.key === 'string' &&
    typeof value.instance === 'string' &&
    Number.isInteger(value.socketsClosed) &&
    (value.socketsClosed as number) >= 0
  );
}
