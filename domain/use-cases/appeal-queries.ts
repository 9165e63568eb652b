import type { Appeal } from '../appeals/appeal.aggregate';
import { blockKeyOf } from '../appeals/appeal.aggregate';
import type { AppealRepository } from '../appeals/appeal.repository';
import type { Page, PageRequest } from '../shared/page';
import type { AccountStatus } from '../user/account-status';
import { authorize } from '../user/role-table';
import type { Viewer } from './viewer';

export const listOpenAppeals =
  (deps: { appeals: AppealRepository }) =>
  async (viewer: Viewer, page: PageRequest): Promise<Page<Appeal>> => {
    authorize(viewer, 'READ_APPEALS');
    return deps.appeals.listOpen(page);
  };

/** The appeal against the block a status shows, for the member or staff. */
export const appealForStatus =
  (deps: { appeals: AppealRepository }) =>
  async (viewer: Viewer, status: AccountStatus): Promise<Appeal | null> => {
    if (status.userId !== viewer.userId) authorize(viewer, 'READ_APPEALS');
    if (!status.blockedAt) return null;
    return deps.appeals.findByBlockKey(blockKeyOf(status.userId, status.blockedAt));
  };
