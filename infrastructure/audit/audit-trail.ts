import type { PubSubEngine } from 'graphql-subscriptions';
import type { AuditEntry, AuditLogReader } from '../../domain/audit/audit-entry';
import type { EventPublisher } from '../../domain/ports/event-publisher';
import type { Clock } from '../../domain/shared/clock';
import type { PersonalUserRepository } from '../../domain/user/personal-user.repository';
import type { Channels } from '../events/channels';
import type { Logger } from '../logging/logger';
import type { Connection } from '../mongo/connection';
import { MongoAuditLogRepository } from '../mongo/repositories/audit-log.repository';
import type { SessionRegistry } from '../sessions/session-registry';
import { AuditingEventPublisher } from './auditing-event-publisher';
import { ModerationFeed } from './moderation-feed';
import { MongoAuditRecorder, type AuditStore, type MongoAuditRecorderOptions } from './mongo-audit-recorder';

export interface AuditTrailDeps {
  /** The connection audit entries live on (normally the main one). */
  connection: Connection;
  pubsub: PubSubEngine;
  channels: Channels;
  clock: Clock;
  instanceId: string;
  log: Logger;
  recorder?: MongoAuditRecorderOptions;
  /**
   * Called with each batch before it is written (the webhook queue takes its events
   * there). A rejection is logged and the batch written all the same.
   */
  beforeStore?(entries: readonly AuditEntry[]): Promise<void>;
}

/**
 * The audit trail's parts, wired: the recorder (services.audit), the reader
 * (moderationLog), the event publisher decorator that records user events, and the live
 * feed to admins' sockets.
 */
export function createAuditTrail(deps: AuditTrailDeps) {
  const repository = new MongoAuditLogRepository(deps.connection);
  const beforeStore = deps.beforeStore;
  const store: AuditStore = beforeStore
    ? {
        async insertMany(entries) {
          await beforeStore(entries).catch((error: unknown) =>
            deps.log.error({ err: error, action: 'audit.before-store-failed', entries: entries.length }, 'audit hook failed'),
          );
          return repository.insertMany(entries);
        },
      }
    : repository;
  const recorder = new MongoAuditRecorder(
    {
      store,
      pubsub: deps.pubsub,
      channel: deps.channels.moderationEvents,
      clock: deps.clock,
      instance: deps.instanceId,
      log: deps.log,
    },
    deps.recorder,
  );
  const decorators: AuditingEventPublisher[] = [];
  let feed: ModerationFeed | null = null;
  return {
    recorder,
    reader: repository as AuditLogReader,
    /** `inner`, recording every user event it publishes. */
    recordingEvents(inner: EventPublisher, users: Pick<PersonalUserRepository, 'findById'>): EventPublisher {
      const decorator = new AuditingEventPublisher(inner, recorder, users, deps.log);
      decorators.push(decorator);
      return decorator;
    },
    /** Starts delivering stored entries to the admins' streams in `registry`. */
    async startFeed(registry: SessionRegistry): Promise<void> {
      feed = new ModerationFeed(deps.pubsub, deps.channels.moderationEvents, registry, deps.log);
      await feed.start();
    },
    /** Writes everything recorded so far (bounded by `timeoutMs`); never rejects. */
    async flush(timeoutMs?: number): Promise<void> {
      await Promise.all(decorators.map((decorator) => decorator.idle()));
      await recorder.flush(timeoutMs);
    },
    stopFeed(): void {
      feed?.stop();
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
