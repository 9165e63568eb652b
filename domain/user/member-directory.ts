import type { Page, PageRequest } from '../shared/page';
import type { AccountState } from './account-status';
import type { PersonalUser, Role } from './personal-user.aggregate';

/** What staff look members up by; every field narrows, null leaves it open. */
export interface MemberQuery {
  /** The start of a word of the display name, or of the email or external id, any case. */
  search: string | null;
  states: readonly AccountState[] | null;
  roles: readonly Role[] | null;
  /** true: only members with an open appeal; false: only those without. */
  appealOpen: boolean | null;
}

export interface MemberPage extends Page<PersonalUser> {
  /** Members matching the query, over every page. */
  totalCount: number;
}

/** Port to the members as staff search them (read side; MongoDB implements it). */
export interface MemberDirectory {
  /** Newest members first; `now` decides which blocks are in force. */
  search(query: MemberQuery, page: PageRequest, now: Date): Promise<MemberPage>;
}
