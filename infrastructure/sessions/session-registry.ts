import type { AuditEntry, AuditEntryType } from '../../domain/audit/audit-entry';
import { standingKeyOf, type AccountStatus } from '../../domain/user/account-status';
import type { LiveSession } from './live-session';
import type { PushStream } from './push-stream';

/** An admin's `moderationEvents` subscription: its stream and the types it asked for (null: all). */
export interface ModerationWatch {
  readonly stream: PushStream<AuditEntry>;
  readonly types: ReadonlySet<AuditEntryType> | null;
}

/** Called synchronously after a member's number of live sockets here changed (presence). */
export type SessionCountListener = (userId: string, count: number) => void;

/**
 * This instance's live sockets by member, and the admins watching a member's status.
 * Every way a socket or subscription ends removes it here; the counts let tests prove it.
 */
export class SessionRegistry {
  private readonly byUser = new Map<string, Set<LiveSession>>();
  private readonly watchers = new Map<string, Set<PushStream<AccountStatus>>>();
  private readonly moderationWatches = new Map<LiveSession, Set<ModerationWatch>>();
  private readonly countListeners = new Set<SessionCountListener>();
  /** Member id → standingKeyOf the status its status subscribers here last saw. */
  private readonly standings = new Map<string, string>();

  add(session: LiveSession): void {
    let sessions = this.byUser.get(session.userId);
    if (!sessions) this.byUser.set(session.userId, (sessions = new Set()));
    if (sessions.has(session)) return;
    sessions.add(session);
    this.countChanged(session.userId, sessions.size);
  }

  /** Tells `listener` every change of a member's socket count here; returns the unsubscribe. */
  onCountChange(listener: SessionCountListener): () => void {
    this.countListeners.add(listener);
    return () => this.countListeners.delete(listener);
  }

  private countChanged(userId: string, count: number): void {
    for (const listener of this.countListeners) listener(userId, count);
  }

  /** Removes the session and ends its subscriptions; idempotent. */
  remove(session: LiveSession): void {
    session.closing = true;
    for (const stream of [...session.statusStreams, ...session.messageStreams]) stream.end();
    for (const watch of [...(this.moderationWatches.get(session) ?? [])]) watch.stream.end();
    const sessions = this.byUser.get(session.userId);
    if (!sessions?.delete(session)) return;
    if (sessions.size === 0) this.byUser.delete(session.userId);
    this.countChanged(session.userId, sessions.size);
  }

  /**
   * Ends every staff-only subscription of `userId` on this instance (its rights dropped);
   * the sockets stay. @returns how many ended
   */
  endStaffStreams(userId: string): number {
    let ended = 0;
    for (const session of this.sessionsOf(userId)) {
      for (const stream of [...session.staffStreams]) {
        stream.end();
        ended++;
      }
      session.staffStreams.clear();
    }
    return ended;
  }

  /** Members holding a staff-only subscription on this instance. */
  staffUserIds(): string[] {
    return this.userIds().filter((userId) => this.sessionsOf(userId).some((session) => session.staffStreams.size > 0));
  }

  /** Every live session here. */
  *allSessions(): IterableIterator<LiveSession> {
    for (const sessions of this.byUser.values()) yield* sessions;
  }

  sessionsOf(userId: string): LiveSession[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  /** Members with at least one live socket here. */
  userIds(): string[] {
    return [...this.byUser.keys()];
  }

  /**
   * Sends `status` to every `accountStatus` subscription of its member here, staff's
   * watches included, and remembers it as what they last saw. Sockets stay open.
   */
  pushStatus(status: AccountStatus): void {
    this.standings.set(status.userId, standingKeyOf(status));
    for (const watcher of this.watchersOf(status.userId)) void watcher.push(status);
    for (const session of this.sessionsOf(status.userId)) {
      if (session.closing) continue;
      for (const stream of session.statusStreams) void stream.push(status);
    }
  }

  /** Records the standing a new subscriber starts from, unless one is already known here. */
  noteStartingStanding(status: AccountStatus): void {
    if (!this.standings.has(status.userId)) this.standings.set(status.userId, standingKeyOf(status));
  }

  /**
   * Whether `status` differs from what the member's status subscribers here last saw (a
   * signal was lost). A member first seen here has nothing to differ from: false.
   */
  missedStanding(status: AccountStatus): boolean {
    const seen = this.standings.get(status.userId);
    if (seen === undefined) {
      this.standings.set(status.userId, standingKeyOf(status));
      return false;
    }
    return seen !== standingKeyOf(status);
  }

  /** Members whose `accountStatus` somebody subscribes to here; forgets the others' standings. */
  statusSubscribedUserIds(): string[] {
    const ids = new Set(this.watchers.keys());
    for (const [userId, sessions] of this.byUser) {
      if ([...sessions].some((session) => session.statusStreams.size > 0)) ids.add(userId);
    }
    for (const userId of this.standings.keys()) if (!ids.has(userId)) this.standings.delete(userId);
    return [...ids];
  }

  /** Registers an admin's subscription to `userId`'s status; the stream's end unregisters it. */
  watch(userId: string, stream: PushStream<AccountStatus>): void {
    let streams = this.watchers.get(userId);
    if (!streams) this.watchers.set(userId, (streams = new Set()));
    streams.add(stream);
  }

  unwatch(userId: string, stream: PushStream<AccountStatus>): void {
    const streams = this.watchers.get(userId);
    if (!streams?.delete(stream)) return;
    if (streams.size === 0) this.watchers.delete(userId);
  }

  watchersOf(userId: string): PushStream<AccountStatus>[] {
    return [...(this.watchers.get(userId) ?? [])];
  }

  /**
   * Registers an admin's `moderationEvents` stream on its socket: the socket's removal
   * ends it, and the stream's end unregisters it.
   */
  watchModeration(session: LiveSession, watch: ModerationWatch): void {
    let watches = this.moderationWatches.get(session);
    if (!watches) this.moderationWatches.set(session, (watches = new Set()));
    watches.add(watch);
  }

  unwatchModeration(session: LiveSession, watch: ModerationWatch): void {
    const watches = this.moderationWatches.get(session);
    if (!watches?.delete(watch)) return;
    if (watches.size === 0) this.moderationWatches.delete(session);
  }

  /** Every `moderationEvents` stream on this instance. */
  moderationWatchers(): ModerationWatch[] {
    return [...this.moderationWatches.values()].flatMap((watches) => [...watches]);
  }

  get sessionCount(): number {
    let count = 0;
    for (const sessions of this.byUser.values()) count += sessions.size;
    return count;
  }

  /** Live subscriptions here by root field (metrics). */
  subscriptionCounts(): Record<string, number> {
    let accountStatus = 0;
    let messageAdded = 0;
    for (const sessions of this.byUser.values()) {
      for (const session of sessions) {
        accountStatus += session.statusStreams.size;
        messageAdded += session.messageStreams.size;
      }
    }
    for (const streams of this.watchers.values()) accountStatus += streams.size;
    let moderationEvents = 0;
    for (const watches of this.moderationWatches.values()) moderationEvents += watches.size;
    return { accountStatus, messageAdded, moderationEvents };
  }

  /** Live subscriptions of every kind: what must drop to zero when all sockets are gone. */
  get listenerCount(): number {
    let count = 0;
    for (const sessions of this.byUser.values()) {
      for (const session of sessions) count += session.statusStreams.size + session.messageStreams.size;
    }
    for (const streams of this.watchers.values()) count += streams.size;
    for (const watches of this.moderationWatches.values()) count += watches.size;
    return count;
  }
}
