import { PermissionError } from '../shared/domain-error';
import type { BlockRecord } from '../user/block';
import { AccountBlockedError, ActionRestrictedError } from '../user/user.errors';
import type { UserEvent } from '../user/user.events';
import type { NewAuditEntry } from './audit-entry';

/**
 * The entry a user event leaves in the trail: USER_BLOCKED (AUTOMATED_BLOCK when the
 * system blocked), USER_UNBLOCKED, BLOCK_EXPIRED, USER_RESTRICTED, RESTRICTION_LIFTED or
 * RESTRICTION_EXPIRED. Keyed by the event id, so an event
 * published twice (outbox relay) is kept once.
 *
 * `history` is the member's block history when it could be read: it holds the admin
 * note, which no event carries.
 */
export function auditEntryForUserEvent(event: UserEvent, history: readonly BlockRecord[] | null): NewAuditEntry {
  const common = {
    actorId: event.actorId,
    targetId: event.aggregateId,
    correlationId: event.correlationId,
    idempotencyKey: event.id,
  };
  switch (event.type) {
    case 'user.blocked': {
      const { status, replacedPrevious, duration } = event.payload;
      // The BLOCKED entry this event wrote: same instant, same actor.
      const record = history?.find(
        (entry) =>
          entry.kind === 'BLOCKED' && entry.at.getTime() === status.blockedAt?.getTime() && entry.by === event.actorId,
      );
      return {
        ...common,
        type: event.actorId === null ? 'AUTOMATED_BLOCK' : 'USER_BLOCKED',
        reason: status.reason,
        details: {
          reason: status.reason,
          duration,
          expiresAt: status.expiresAt,
          userMessage: status.userMessage,
          adminNote: record ? record.note : null,
          replacedPrevious,
        },
      };
    }
    case 'user.unblocked':
      return { ...common, type: 'USER_UNBLOCKED', reason: event.payload.reason, details: { reason: event.payload.reason } };
    case 'user.block-expired': {
      const { lapsed } = event.payload;
      return {
        ...common,
        type: 'BLOCK_EXPIRED',
        reason: lapsed?.reason ?? null,
        // An event from before `lapsed` existed (still in an outbox) has only the status.
        details: lapsed ? { reason: lapsed.reason, duration: lapsed.duration, expiresAt: lapsed.expiresAt } : {},
      };
    }
    case 'user.restricted': {
      const { restriction } = event.payload;
      const record = history?.find((entry) => entry.kind === 'RESTRICTED' && entry.restrictionId === restriction.restrictionId);
      const notice = event.payload.status.restrictions.find((shown) => shown.id === restriction.restrictionId);
      return {
        ...common,
        type: 'USER_RESTRICTED',
        reason: restriction.reason,
        details: { ...restriction, userMessage: notice?.userMessage ?? null, adminNote: record ? record.note : null },
      };
    }
    case 'user.restriction-lifted':
      return {
        ...common,
        type: 'RESTRICTION_LIFTED',
        reason: event.payload.reason,
        details: { ...event.payload.restriction, liftReason: event.payload.reason },
      };
    case 'user.restriction-expired':
      return { ...common, type: 'RESTRICTION_EXPIRED', reason: event.payload.restriction.reason, details: { ...event.payload.restriction } };
  }
}

/** Who was refused, and in which request. */
export interface RefusalContext {
  /** The caller; null when unknown. */
  userId: string | null;
  correlationId: string;
  /** The operation refused: the root field, else the operation name. */
  operation: string | null;
}

/**
 * The entry a refusal that reaches a client leaves: ACTION_REFUSED for a blocked or
 * restricted member's action, ADMIN_OPERATION_REFUSED for a FORBIDDEN one; null for any
 * other error.
 */
export function auditEntryForRefusal(error: unknown, context: RefusalContext): NewAuditEntry | null {
  if (error instanceof ActionRestrictedError) {
    return {
      type: 'ACTION_REFUSED',
      actorId: context.userId,
      targetId: context.userId,
      reason: error.reason,
      correlationId: context.correlationId,
      details: {
        action: error.action,
        reason: error.reason,
        operation: context.operation,
        restrictionId: error.restrictionId,
        ...(error.category !== null ? { category: error.category } : {}),
      },
    };
  }
  if (error instanceof AccountBlockedError) {
    return {
      type: 'ACTION_REFUSED',
      actorId: context.userId,
      targetId: context.userId,
      reason: error.reason,
      correlationId: context.correlationId,
      details: { action: error.action, reason: error.reason, operation: context.operation },
    };
  }
  if (error instanceof PermissionError) {
    return {
      type: 'ADMIN_OPERATION_REFUSED',
      actorId: context.userId,
      targetId: null,
      reason: error.message,
      correlationId: context.correlationId,
      details: { reasonCode: error.code, operation: context.operation },
    };
  }
  return null;
}
