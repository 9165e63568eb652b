import type { NewAuditEntry } from '../../domain/audit/audit-entry';

/** The body of a webhook request (../shared/CONTRACT.md, "Operations"). */
export interface WebhookEvent {
  /** The event id; receivers deduplicate by it. */
  id: string;
  /** The ModerationEventType of the entry the event left in the audit trail. */
  type: string;
  /** ISO-8601, UTC. */
  occurredAt: string;
  data: { userId: string | null } & Record<string, unknown>;
}

/**
 * Which audit entries are moderation events a platform hears about: every type except
 * refusals, rate limiting and force-disconnect (security noise and session management,
 * not a change of anyone's standing). An exclusion list, so a new moderation type
 * (restrictions, say) is sent without a change here.
 */
export function isWebhookType(type: string): boolean {
  return !type.endsWith('_REFUSED') && type !== 'RATE_LIMITED' && type !== 'FORCE_DISCONNECT';
}

/** Fields of an entry's details that stay inside: the admin note is for staff eyes only. */
const INTERNAL_DETAILS = new Set(['adminNote']);

/** The webhook event of an audit entry; `id` and `occurredAt` are the event's (or the entry's). */
export function webhookEventOf(entry: NewAuditEntry, id: string, occurredAt: Date): WebhookEvent {
  const details = Object.fromEntries(Object.entries(entry.details).filter(([key]) => !INTERNAL_DETAILS.has(key)));
  return {
    id,
    type: entry.type,
    occurredAt: occurredAt.toISOString(),
    data: {
      ...jsonOf(details),
      userId: entry.targetId,
      actorId: entry.actorId,
      reason: entry.reason,
      correlationId: entry.correlationId,
    },
  };
}

/** Dates as ISO strings, as JSON.stringify would write them, so the stored body is what is sent. */
function jsonOf(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
