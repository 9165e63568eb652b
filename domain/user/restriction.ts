import { requireText } from '../shared/text';
import { TEXT_LIMITS } from '../shared/text-limits';
import type { BlockDuration, BlockReason, BlockRecord } from './block';
import { CATEGORY_SCOPED_ACTIONS, USER_ACTIONS, type UserAction } from './user-action';
import { restrictionErrors } from './user.errors';
import type { RestrictionSummary } from './user.events';

/**
 * A graduated sanction: some actions refused (some only in some listing categories)
 * until `expiresAt`, while the member keeps everything else. Several may stand at once;
 * each runs out by itself, like a block.
 */
export interface Restriction {
  id: string;
  /** One or more, distinct. */
  actions: UserAction[];
  /** Listing categories it narrows the category-scoped actions to; null: every category. */
  categories: string[] | null;
  reason: BlockReason;
  duration: BlockDuration;
  userMessage: string;
  /** Internal: for staff only, and in no event. */
  adminNote: string | null;
  createdAt: Date;
  /** null for automated restrictions. */
  createdBy: string | null;
  expiresAt: Date | null;
}

/** What a member's status shows of a restriction: neither the note nor who placed it. */
export type RestrictionNotice = Omit<Restriction, 'adminNote' | 'createdBy'> & { userId: string };

export function isRestrictionInForce(restriction: Restriction, now: Date): boolean {
  return restriction.expiresAt === null || restriction.expiresAt.getTime() > now.getTime();
}

/** Categories compare trimmed and case-insensitively: "Tools" and "tools " are one. */
export function categoryKey(category: string): string {
  return category.trim().toLowerCase();
}

/**
 * Whether the restriction refuses `action` for a listing of `category`. A category-scoped
 * restriction refuses a category-scoped action only once the category is known and in
 * its scope; SEND_MESSAGE it refuses everywhere.
 */
export function restrictionRefuses(restriction: Restriction, action: UserAction, category: string | null): boolean {
  if (!restriction.actions.includes(action)) return false;
  if (restriction.categories === null || !CATEGORY_SCOPED_ACTIONS.includes(action)) return true;
  if (category === null) return false;
  const key = categoryKey(category);
  return restriction.categories.some((scoped) => categoryKey(scoped) === key);
}

/** Whether the restriction refuses `action` only in some categories. */
export function isCategoryScopedFor(restriction: Restriction, action: UserAction): boolean {
  return restriction.categories !== null && CATEGORY_SCOPED_ACTIONS.includes(action);
}

/** Of several restrictions, the one that lasts longest (an indefinite one wins). */
export function longestLasting<T extends Pick<Restriction, 'expiresAt' | 'createdAt'>>(restrictions: readonly T[]): T | null {
  let longest: T | null = null;
  for (const restriction of restrictions) {
    if (longest === null || endsAfter(restriction, longest)) longest = restriction;
  }
  return longest;
}

function endsAfter(a: Pick<Restriction, 'expiresAt' | 'createdAt'>, b: Pick<Restriction, 'expiresAt' | 'createdAt'>): boolean {
  if (a.expiresAt === null || b.expiresAt === null) {
    if (a.expiresAt === b.expiresAt) return a.createdAt.getTime() > b.createdAt.getTime();
    return a.expiresAt === null;
  }
  return a.expiresAt.getTime() > b.expiresAt.getTime();
}

export function noticeOf(userId: string, restriction: Restriction): RestrictionNotice {
  const { adminNote: _note, createdBy: _by, ...notice } = restriction;
  return { ...notice, actions: [...notice.actions], categories: notice.categories ? [...notice.categories] : null, userId };
}

/** The actions of a new restriction: one or more, known, distinct. */
export function validActions(actions: readonly UserAction[]): UserAction[] {
  if (actions.length === 0) throw restrictionErrors.noAction();
  if (actions.some((action) => !USER_ACTIONS.includes(action))) throw restrictionErrors.unknownAction();
  if (new Set(actions).size !== actions.length) throw restrictionErrors.duplicateAction();
  return [...actions];
}

/** The categories of a new restriction, trimmed; null for every category. */
export function validCategories(categories: readonly string[] | null | undefined, actions: readonly UserAction[]): string[] | null {
  if (categories === null || categories === undefined) return null;
  if (categories.length === 0) throw restrictionErrors.noCategory();
  if (!actions.some((action) => CATEGORY_SCOPED_ACTIONS.includes(action))) throw restrictionErrors.unscopedActions();
  const texts = categories.map((category) =>
    requireText(category, { field: 'categories', min: 1, max: TEXT_LIMITS.listingCategory }),
  );
  if (new Set(texts.map(categoryKey)).size !== texts.length) throw restrictionErrors.duplicateCategory();
  return texts;
}

/** A restriction as events carry it (no note, no author). */
export function summaryOf(restriction: Restriction): RestrictionSummary {
  return {
    restrictionId: restriction.id,
    actions: [...restriction.actions],
    categories: restriction.categories ? [...restriction.categories] : null,
    reason: restriction.reason,
    duration: restriction.duration,
    expiresAt: restriction.expiresAt,
  };
}

/** The history entry of a restriction's change, but its note. */
export function restrictionEntry(
  kind: 'RESTRICTED' | 'RESTRICTION_LIFTED' | 'RESTRICTION_EXPIRED',
  restriction: Restriction,
  at: Date,
  by: string | null,
): Omit<BlockRecord, 'note'> {
  return {
    kind,
    at,
    by,
    reason: restriction.reason,
    duration: restriction.duration,
    restrictionId: restriction.id,
    actions: [...restriction.actions],
    categories: restriction.categories ? [...restriction.categories] : null,
  };
}
