import type { AuditLogReader, DailyCount } from '../audit/audit-entry';
import type { Clock } from '../shared/clock';
import { ValidationError } from '../shared/domain-error';
import type { PageRequest } from '../shared/page';
import { TEXT_LIMITS } from '../shared/text-limits';
import type { BlockDuration, BlockReason } from '../user/block';
import type { PersonalUser } from '../user/personal-user.aggregate';
import type { UserAction } from '../user/user-action';
import type { MemberDirectory, MemberPage, MemberQuery } from '../user/member-directory';
import { authorize } from '../user/role-table';
import type { Viewer } from './viewer';

/** The longest period moderationStats counts over. */
export const MAX_STATS_DAYS = 366;
const DAY_MS = 86_400_000;

/** Members as staff search them, newest first, with the total over every page. */
export const searchMembers =
  (deps: { members: MemberDirectory; clock: Clock }) =>
  async (viewer: Viewer, query: MemberQuery, page: PageRequest): Promise<MemberPage> => {
    authorize(viewer, 'READ_MEMBER');
    const search = query.search?.trim() || null;
    if (search && search.length > TEXT_LIMITS.searchText) {
      throw new ValidationError('INPUT.SEARCH_TOO_LONG', `search is at most ${TEXT_LIMITS.searchText} characters`, 'search');
    }
    return deps.members.search({ ...query, search }, page, deps.clock.now());
  };

/** Moderation log entries per UTC day and type in [since, until). */
export const moderationStats =
  (deps: { auditLog: AuditLogReader }) =>
  async (viewer: Viewer, since: Date, until: Date): Promise<DailyCount[]> => {
    authorize(viewer, 'READ_MODERATION_LOG');
    const span = until.getTime() - since.getTime();
    if (!(span > 0)) throw new ValidationError('AUDIT.EMPTY_PERIOD', 'since must be before until', 'since');
    if (span > MAX_STATS_DAYS * DAY_MS) {
      throw new ValidationError('AUDIT.PERIOD_TOO_LONG', `at most ${MAX_STATS_DAYS} days`, 'until');
    }
    return deps.auditLog.countByDay(since, until);
  };

/** One entry of the caller's own standing history, without staff notes or names. */
export interface OwnStandingRecord {
  kind: string;
  at: Date;
  reason: BlockReason | null;
  duration: BlockDuration | null;
  actions: readonly UserAction[] | null;
}

/** The caller's own blocks and restrictions over time, newest first, as the member may see them. */
export function ownStandingHistory(me: PersonalUser): OwnStandingRecord[] {
  return [...me.blockHistory].reverse().map((entry) => ({
    kind: entry.kind,
    at: entry.at,
    reason: entry.reason,
    duration: entry.duration,
    actions: entry.actions ?? null,
  }));
}
