import type { Page, PageRequest } from '../shared/page';

/** Every moderation and security event the audit trail keeps. */
export const AUDIT_ENTRY_TYPES = [
  'USER_BLOCKED',
  'USER_UNBLOCKED',
  'BLOCK_EXPIRED',
  'AUTOMATED_BLOCK',
  'USER_RESTRICTED',
  'RESTRICTION_LIFTED',
  'RESTRICTION_EXPIRED',
  'FORCE_DISCONNECT',
  'APPEAL_FILED',
  'APPEAL_DECIDED',
  /** A blocked or restricted member attempted a UserAction (ACCOUNT_BLOCKED, ACTION_RESTRICTED). */
  'ACTION_REFUSED',
  /** A WebSocket connection was refused (4401, 4403, 4429). */
  'CONNECTION_REFUSED',
  /** A member called a staff operation, or staff a forbidden one (FORBIDDEN). */
  'ADMIN_OPERATION_REFUSED',
  'RATE_LIMITED',
] as const;
export type AuditEntryType = (typeof AUDIT_ENTRY_TYPES)[number];

export interface NewAuditEntry {
  type: AuditEntryType;
  /** Who did it; null for the system. */
  actorId: string | null;
  /** Whom it concerns; null when unknown (a refused anonymous connection). */
  targetId: string | null;
  /** Reason or note, as given. */
  reason: string | null;
  correlationId: string;
  /** What this type needs besides: block duration, close code, limit name, IP… */
  details: Record<string, unknown>;
  /**
   * Set for entries derived from a domain event: recording the same event twice (outbox
   * relay, several instances settling one expiry) keeps one entry.
   */
  idempotencyKey?: string;
}

export interface AuditEntry extends NewAuditEntry {
  id: string;
  at: Date;
  /** The API instance that recorded it. */
  instance: string;
}

export interface AuditFilter {
  /** Entries whose actor or target is this member. */
  userId?: string | null;
  types?: readonly AuditEntryType[] | null;
  since?: Date | null;
  until?: Date | null;
}

/**
 * Where audit entries go. `record` never throws and never waits: the action it records
 * must not fail or slow down because the audit store is unwell; a lost entry is logged
 * loudly by the implementation.
 */
export interface AuditRecorder {
  record(entry: NewAuditEntry): void;
}

/** Reads the trail, newest first, stable under concurrent inserts. */
export interface AuditLogReader {
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
  /** How many entries of each type each UTC day in [since, until) holds; days with none are left out. */
  countByDay(since: Date, until: Date): Promise<DailyCount[]>;
}

export interface DailyCount {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  type: AuditEntryType;
  count: number;
}
