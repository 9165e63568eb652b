import type { Appeal } from '../appeals/appeal.aggregate';
import { blockKeyOf } from '../appeals/appeal.aggregate';
import type { AppealRepository } from '../appeals/appeal.repository';
import type { Page, PageRequest } from '../shared/page';
import type { AccountStatus } from '../user/account-status';
import { authorize } from '../user/role-table';
import type { PersonalUserRepository } from '../user/personal-user.repository';
import type { Viewer } from './viewer';

export const listOpenAppeals =
  (deps: { appeals: AppealRepository }) =>
  async (viewer: Viewer, page: PageRequest): Promise<Page<Appeal>> => {
    authorize(viewer, 'READ_APPEALS');
    return deps.appeals.listOpen(page);
  };

/**
 * The appeal against the block a status shows, for the member or staff. While no block
 * is in force, the appeal against the member's last block: once an approved appeal lifted
 * it, that decision (and its note, written for the member) stays readable.
 */
export const appealForStatus =
  (deps: { appeals: AppealRepository; users: Pick<PersonalUserRepository, 'findById'> }) =>
  async (viewer: Viewer, status: AccountStatus): Promise<Appeal | null> => {
    if (status.userId !== viewer.userId) authorize(viewer, 'READ_APPEALS');
    const blockedAt = status.blockedAt ?? (await lastBlockedAt(deps.users, status.userId));
    if (!blockedAt) return null;
    return deps.appeals.findByBlockKey(blockKeyOf(status.userId, blockedAt));
  };

async function lastBlockedAt(users: Pick<PersonalUserRepository, 'findById'>, userId: string): Promise<Date | null> {
  const user = await users.findById(userId);
  return user?.blockHistory.findLast((record) => record.kind === 'BLOCKED')?.at ?? null;
}
