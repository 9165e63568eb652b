import type { AuditEntryType, AuditFilter, AuditEntry, AuditLogReader } from '../audit/audit-entry';
import { AUDIT_ENTRY_TYPES } from '../audit/audit-entry';
import { ValidationError } from '../shared/domain-error';
import type { Page, PageRequest } from '../shared/page';
import { authorize } from '../user/role-table';
import type { Viewer } from './viewer';

/** The audit trail, newest first, for staff only. */
export const listModerationLog =
  (deps: { auditLog: AuditLogReader }) =>
  async (viewer: Viewer, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> => {
    // Refuse members before validating anything: they learn nothing about the log.
    authorize(viewer, 'READ_MODERATION_LOG');
    const { since, until } = filter;
    if (since && until && since.getTime() >= until.getTime()) {
      throw new ValidationError('AUDIT.EMPTY_PERIOD', 'since must be before until', 'filter');
    }
    const types = filter.types ? [...new Set(filter.types)] : null;
    if (types?.some((type) => !AUDIT_ENTRY_TYPES.includes(type))) {
      throw new ValidationError('AUDIT.UNKNOWN_TYPE', 'Unknown moderation event type', 'types');
    }
    // An empty list asks for no type at all: an empty page, not the whole log.
    if (types?.length === 0) return { items: [], endCursor: null, hasNextPage: false };
    return deps.auditLog.list({ ...filter, types }, page);
  };

/**
 * Who may follow the trail live, and which types: staff only. Returns the type set a
 * stream accepts (null: every type).
 */
export function moderationFeedFilter(
  viewer: Viewer,
  types: readonly AuditEntryType[] | null | undefined,
): ReadonlySet<AuditEntryType> | null {
  authorize(viewer, 'WATCH_MODERATION_EVENTS');
  return types ? new Set(types) : null;
}
