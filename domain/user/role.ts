import type { Actor } from '../shared/domain-event';

/** Ranks, lowest first: each role outranks those before it. */
export const ROLES = ['MEMBER', 'MODERATOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The role an actor acts with. Actors built before moderators existed carry only
 * `isAdmin`: ADMIN when it is set, else MEMBER.
 */
export function roleOf(actor: Actor): Role {
  return actor.role ?? (actor.isAdmin ? 'ADMIN' : 'MEMBER');
}

/** Moderators and admins. */
export function isStaff(actor: Actor): boolean {
  return roleOf(actor) !== 'MEMBER';
}
