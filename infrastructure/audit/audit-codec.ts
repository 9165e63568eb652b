import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import { newEntityId } from '../../domain/shared/entity-id';

/** Longest string kept in an entry's reason or details; longer ones are cut. */
const MAX_TEXT = 4_000;
/** Deepest nesting kept in details; deeper values become "[too deep]". */
const MAX_DEPTH = 6;

/**
 * The entry's id: for an idempotent entry a digest of its key (so recording it twice
 * collides on `_id`), else a new entity id. Both are 24 hex characters, as cursors need.
 */
export function auditEntryId(idempotencyKey: string | undefined, at: Date): string {
  if (idempotencyKey === undefined) return newEntityId(at);
  return createHash('sha256').update(`audit:${idempotencyKey}`).digest('hex').slice(0, 24);
}

/**
 * Details as plain JSON, whatever the caller passed: dates become ISO strings, undefined
 * and functions disappear, text is cut to MAX_TEXT and NUL characters (which some
 * MongoDB-compatible stores refuse) are replaced, so the entry can always be stored and published.
 */
export function toJsonObject(value: Record<string, unknown>): Record<string, unknown> {
  const json = toJsonValue(value, 0);
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\u0000/g, '\uFFFD');
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

function toJsonValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Error) return cleanText(value.message);
  if (typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, depth + 1) ?? null);
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const json = toJsonValue(item, depth + 1);
    // MongoDB field names may not start with $ nor contain a dot.
    if (json !== undefined) result[cleanText(key).replace(/^\$/, '_').replace(/\./g, '_')] = json;
  }
  return result;
}

/** An entry as it comes off pub/sub: JSON turned `at` into a string. */
export function reviveAuditEntry(raw: unknown): AuditEntry {
  const entry = raw as AuditEntry & { at: string | Date };
  if (!entry || typeof entry !== 'object' || typeof entry.id !== 'string' || typeof entry.type !== 'string') {
    throw new Error('not an audit entry');
  }
  const at = entry.at instanceof Date ? entry.at : new Date(entry.at);
  if (Number.isNaN(at.getTime())) throw new Error('audit entry without a valid time');
  return { ...entry, at };
}
