/**
 * Something that happened, with who, when and why. Consumers must be idempotent: events
 * may be delivered more than once (outbox relay) or not at all (pub/sub is at-most-once).
 */
export interface DomainEvent<TType extends string = string, TPayload = unknown> {
  id: string;
  type: TType;
  aggregateId: string;
  occurredAt: Date;
  /** The member or admin who caused it; null for the system (expiry, automated block). */
  actorId: string | null;
  correlationId: string;
  payload: TPayload;
}

/** Who asks for a change. `userId` null is the system itself. */
export interface Actor {
  userId: string | null;
  isAdmin: boolean;
  /** MEMBER, MODERATOR or ADMIN; absent: ADMIN when `isAdmin`, else MEMBER (domain/user/role.ts). */
  role?: 'MEMBER' | 'MODERATOR' | 'ADMIN';
}

/** The system acts with an admin's rights: it may block members and moderators, never admins. */
export const SYSTEM_ACTOR: Actor = { userId: null, isAdmin: true, role: 'ADMIN' };
