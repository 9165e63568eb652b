import type { PersonalUser } from '../user/personal-user.aggregate';
import { may } from '../user/role-table';
import type { Viewer } from './viewer';

/**
 * Whether the viewer may see a member's standing (isBlocked, accountStatus), role, email
 * and external id: the member themself and staff. Anyone else sees id and display name
 * only, whichever way they reached the member (a message's sender, a listing's sharer…).
 */
export function seesPrivateDetailsOf(viewer: Viewer, user: PersonalUser): boolean {
  return viewer.userId === user.id || may(viewer, 'READ_MEMBER', user);
}

/** `value` when the viewer may see the member's private details, else null. */
export function privateDetail<T>(viewer: Viewer, user: PersonalUser, value: () => T): T | null {
  return seesPrivateDetailsOf(viewer, user) ? value() : null;
}
