import type { PersonalUser } from '../user/personal-user.aggregate';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { roleOf } from '../user/role';
import { authorize, may } from '../user/role-table';
import { userErrors } from '../user/user.errors';
import type { Actor } from '../shared/domain-event';
import type { Viewer } from './viewer';

/** Admins only, whatever the operation: prefer `authorize` with the role table's operation. */
export function requireAdmin(viewer: Actor): void {
  if (roleOf(viewer) !== 'ADMIN') throw userErrors.notAdmin();
}

/** Any member by id, for staff; null when there is none. */
export const getUser =
  (deps: { users: PersonalUserRepository }) =>
  async (viewer: Viewer, userId: string): Promise<PersonalUser | null> => {
    authorize(viewer, 'READ_MEMBER');
    return deps.users.findById(userId);
  };

/** The block in force, for staff only (members see their accountStatus instead). */
export function blockDetailsFor(viewer: Viewer, user: PersonalUser) {
  authorize(viewer, 'READ_MEMBER', user);
  return user.currentBlock;
}

/**
 * The stored restriction behind a status's notice, with its note and author, for staff;
 * null for anyone else (members see the notice only).
 */
export function restrictionRecordFor(viewer: Viewer, holder: PersonalUser | null, restrictionId: string) {
  if (!holder || !may(viewer, 'READ_MEMBER', holder)) return null;
  return holder.storedRestrictions.find((restriction) => restriction.id === restrictionId) ?? null;
}

/** The standing history, newest first, for staff only. */
export function blockHistoryFor(viewer: Viewer, user: PersonalUser) {
  authorize(viewer, 'READ_MEMBER', user);
  return [...user.blockHistory].reverse();
}
