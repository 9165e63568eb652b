import type { Connection, Model, QueryFilter } from 'mongoose';
import type { Clock } from '../../../domain/shared/clock';
import type { PageRequest } from '../../../domain/shared/page';
import type { AccountState } from '../../../domain/user/account-status';
import type { MemberDirectory, MemberPage, MemberQuery } from '../../../domain/user/member-directory';
import { guarded } from '../mongo-errors';
import { appealModel, type AppealDoc } from '../models/appeal.model';
import { personalUserModel, type PersonalUserDoc } from '../models/personal-user.model';
import { findKeysetPage } from './keyset-page';
import { toPersonalUser } from './personal-user.mapper';

type Filter = QueryFilter<PersonalUserDoc>;

/**
 * Staff's member search. Served by the users indexes: `{ createdAt: -1, _id: -1 }` orders
 * and pages every query; a search matches, in any case, the start of a word of
 * `displayName` or the start of `email` or `externalId`, each of which has an index that
 * MongoDB scans instead of the documents (a case-insensitive pattern walks the whole
 * index, anchored or not); states test `block.expiresAt` and `restrictions.expiresAt` (both indexed); an appeal filter first reads the
 * open appeals' member ids from `{ state: 1, createdAt: -1, _id: -1 }` on appeals.
 */
export class MongoMemberDirectory implements MemberDirectory {
  private readonly users: Model<PersonalUserDoc>;
  private readonly appeals: Model<AppealDoc>;

  constructor(
    conn: Connection,
    private readonly clock: Clock,
  ) {
    this.users = personalUserModel(conn);
    this.appeals = appealModel(conn);
  }

  search(query: MemberQuery, page: PageRequest, now: Date): Promise<MemberPage> {
    return guarded(async () => {
      const filter = await this.filterFor(query, now);
      const [found, totalCount] = await Promise.all([
        findKeysetPage(this.users, filter, 'createdAt', page, (doc) => toPersonalUser(doc, this.clock)),
        this.users.countDocuments(filter).exec(),
      ]);
      return { ...found, totalCount };
    });
  }

  /** The filter `search` runs for `query` (public for the bench's query plans). */
  async filterFor(query: MemberQuery, now: Date): Promise<Filter> {
    const conditions: Filter[] = [];
    if (query.search) {
      const text = escapeRegExp(query.search);
      // Any word of the name ("whit" finds "Walter Whitfield"); the start of email and id.
      const wordStart = new RegExp(`(^|\\s)${text}`, 'i');
      const prefix = new RegExp(`^${text}`, 'i');
      conditions.push({ $or: [{ displayName: wordStart }, { email: prefix }, { externalId: prefix }] });
    }
    if (query.roles) conditions.push({ role: { $in: [...query.roles] } });
    if (query.states) conditions.push({ $or: query.states.map((state) => stateFilter(state, now)) });
    if (query.appealOpen !== null) {
      const ids = (await this.appeals.distinct('userId', { state: 'OPEN' }).exec()) as string[];
      conditions.push({ _id: query.appealOpen ? { $in: ids } : { $nin: ids } });
    }
    return conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0]! : { $and: conditions };
  }
}

/**
 * A block or a restriction is in force while it has no end or ends after `now`
 * (domain/user/block.ts, restriction.ts); a block outranks restrictions.
 */
function stateFilter(state: AccountState, now: Date): Filter {
  const blocked: Filter = {
    block: { $type: 'object' },
    $or: [{ 'block.expiresAt': null }, { 'block.expiresAt': { $gt: now } }],
  };
  // Not one $elemMatch with an $or inside: SecantusDB 0.7 refuses $or there.
  const restricted: Filter = {
    $or: [{ restrictions: { $elemMatch: { expiresAt: null } } }, { 'restrictions.expiresAt': { $gt: now } }],
  };
  switch (state) {
    case 'BLOCKED':
      return blocked;
    case 'RESTRICTED':
      return { $and: [{ $nor: [blocked] }, restricted] };
    case 'ACTIVE':
      return { $nor: [blocked, restricted] };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
