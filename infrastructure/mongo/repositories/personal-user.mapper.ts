import type { Clock } from '../../../domain/shared/clock';
import type { Block, BlockRecord } from '../../../domain/user/block';
import { PersonalUser } from '../../../domain/user/personal-user.aggregate';
import type { Restriction } from '../../../domain/user/restriction';
import type { UserEvent } from '../../../domain/user/user.events';
import type { PersonalUserDoc } from '../models/personal-user.model';

// Missing fields read as empty: documents stored before a field existed lack it.

/** A stored member (outbox not needed) back into the aggregate. */
export function toPersonalUser(doc: Partial<PersonalUserDoc> & { _id: string }, clock: Clock): PersonalUser {
  return PersonalUser.rehydrate(
    {
      id: doc._id,
      externalId: doc.externalId ?? '',
      displayName: doc.displayName ?? null,
      email: doc.email ?? null,
      role: doc.role ?? 'MEMBER',
      block: doc.block ? toBlock(doc.block) : null,
      restrictions: (doc.restrictions ?? []).map(toRestriction),
      blockHistory: (doc.blockHistory ?? []).map(toBlockRecord),
      createdAt: doc.createdAt ?? new Date(0),
      version: doc.version ?? 0,
    },
    clock,
  );
}

function toBlock(block: Block): Block {
  return {
    reason: block.reason,
    duration: block.duration,
    userMessage: block.userMessage,
    adminNote: block.adminNote ?? null,
    blockedAt: block.blockedAt,
    blockedBy: block.blockedBy ?? null,
    expiresAt: block.expiresAt ?? null,
  };
}

function toRestriction(restriction: Restriction): Restriction {
  return {
    id: restriction.id,
    actions: [...restriction.actions],
    categories: restriction.categories?.length ? [...restriction.categories] : null,
    reason: restriction.reason,
    duration: restriction.duration,
    userMessage: restriction.userMessage,
    adminNote: restriction.adminNote ?? null,
    createdAt: restriction.createdAt,
    createdBy: restriction.createdBy ?? null,
    expiresAt: restriction.expiresAt ?? null,
  };
}

function toBlockRecord(record: BlockRecord): BlockRecord {
  return {
    kind: record.kind,
    at: record.at,
    by: record.by ?? null,
    reason: record.reason ?? null,
    duration: record.duration ?? null,
    note: record.note ?? null,
    ...(record.restrictionId
      ? {
          restrictionId: record.restrictionId,
          actions: [...(record.actions ?? [])],
          categories: record.categories?.length ? [...record.categories] : null,
        }
      : {}),
  };
}

/** An event as it goes into, and comes out of, the outbox: a plain document with dates. */
export function toStoredEvent(event: UserEvent): UserEvent {
  return {
    id: event.id,
    type: event.type,
    aggregateId: event.aggregateId,
    occurredAt: event.occurredAt,
    actorId: event.actorId ?? null,
    correlationId: event.correlationId,
    payload: event.payload,
  } as UserEvent;
}
