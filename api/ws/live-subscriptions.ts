import type { AuditEntry, AuditEntryType } from '../../domain/audit/audit-entry';
import { authorize } from '../../domain/user/role-table';
import { moderationFeedFilter } from '../../domain/use-cases/moderation-log.use-case';
import type { Viewer } from '../../domain/use-cases/viewer';
import type { AccountStatus } from '../../domain/user/account-status';
import type { Message } from '../../domain/messaging/message.aggregate';
import { ValidationError } from '../../domain/shared/domain-error';
import type { LiveSession } from '../../infrastructure/sessions/live-session';
import { PushStream } from '../../infrastructure/sessions/push-stream';
import type { ModerationWatch, SessionRegistry } from '../../infrastructure/sessions/session-registry';

/**
 * Subscription sources. Each stream is registered on the socket's session (or as an
 * admin's watch) and unregistered by its own end, whichever way it ends: complete,
 * socket close, or a close that lands while the subscription is still being set up.
 */
export class LiveSubscriptions {
  constructor(private readonly registry: SessionRegistry) {}

  /**
   * `current` is the member's own status as read for this subscribe: what the new stream
   * starts from, so the session sweep can tell a change whose signal was lost.
   */
  accountStatus(
    session: LiveSession | null,
    viewer: Viewer,
    userId: string | null,
    current?: AccountStatus,
  ): PushStream<AccountStatus> {
    const live = requireSession(session);
    if (userId && userId !== viewer.userId) {
      authorize(viewer, 'WATCH_ACCOUNT_STATUS');
      const stream: PushStream<AccountStatus> = new PushStream(() => {
        this.registry.unwatch(userId, stream);
        live.staffStreams.delete(stream);
      });
      if (live.closing) stream.end();
      else {
        this.registry.watch(userId, stream);
        live.staffStreams.add(stream);
      }
      return stream;
    }
    const stream: PushStream<AccountStatus> = new PushStream(() => live.statusStreams.delete(stream));
    if (live.closing) stream.end();
    else {
      live.statusStreams.add(stream);
      if (current) this.registry.noteStartingStanding(current);
    }
    return stream;
  }

  messageAdded(session: LiveSession | null): PushStream<Message> {
    const live = requireSession(session);
    const stream: PushStream<Message> = new PushStream(() => live.messageStreams.delete(stream));
    if (live.closing) stream.end();
    else live.messageStreams.add(stream);
    return stream;
  }

  /** Admins only: every audit entry stored by any instance, of `types` (null: all). */
  moderationEvents(
    session: LiveSession | null,
    viewer: Viewer,
    types: readonly AuditEntryType[] | null,
  ): PushStream<AuditEntry> {
    const live = requireSession(session);
    const watch: ModerationWatch = {
      types: moderationFeedFilter(viewer, types),
      stream: new PushStream(() => {
        this.registry.unwatchModeration(live, watch);
        live.staffStreams.delete(watch.stream);
      }),
    };
    if (live.closing) watch.stream.end();
    else {
      this.registry.watchModeration(live, watch);
      live.staffStreams.add(watch.stream);
    }
    return watch.stream;
  }
}

function requireSession(session: LiveSession | null): LiveSession {
  if (!session) throw new ValidationError('SUBSCRIPTION.WEBSOCKET_ONLY', 'Subscriptions are served over graphql-ws');
  return session;
}
