import type { PersonalUser } from '../user/personal-user.aggregate';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { userErrors } from '../user/user.errors';
import type { Actor } from '../shared/domain-event';
import type { Viewer } from './viewer';

export function requireAdmin(viewer: Actor): void {
  if (!viewer.isAdmin) throw userErrors.notAdmin();
}

/** Any member by id, for admins; null when there is none. */
export const getUser =
  (deps: { users: PersonalUserRepository }) =>
  async (viewer: Viewer, userId: string): Promise<PersonalUser | null> => {
    requireAdmin(viewer);
    return deps.users.findById(userId);
  };

/** The block in force, for admins only (members see their accountStatus instead). */
export function blockDetailsFor(viewer: Viewer, user: PersonalUser) {
  requireAdmin(viewer);
  return user.currentBlock;
}

/** The block history, newest first, for admins only. */
export function blockHistoryFor(viewer: Viewer, user: PersonalUser) {
  requireAdmin(viewer);
  return [...user.blockHistory].reverse();
}
