import type { PersonalUser } from '../user/personal-user.aggregate';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import { userErrors } from '../user/user.errors';
import type { Viewer } from './viewer';

/** Re-reads the acting member so a block placed a moment ago is seen. */
export async function loadViewer(users: PersonalUserRepository, viewer: Viewer): Promise<PersonalUser> {
  const user = await users.findById(viewer.userId);
  if (!user) throw userErrors.notFound();
  return user;
}
