import type { PersonalUser } from '../user/personal-user.aggregate';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { userErrors } from '../user/user.errors';
import type { Viewer } from './viewer';

/**
 * The acting member as read at the start of this request, so a block placed before the
 * request is seen; read now when the transport did not read it.
 */
export async function loadViewer(users: PersonalUserRepository, viewer: Viewer): Promise<PersonalUser> {
  if (viewer.member?.id === viewer.userId) return viewer.member;
  const user = await users.findById(viewer.userId);
  if (!user) throw userErrors.notFound();
  return user;
}
