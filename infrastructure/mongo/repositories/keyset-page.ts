import type { Model, QueryFilter } from 'mongoose';
import type { Page, PageRequest } from '../../../domain/shared/page';
import { decodeCursor, encodeCursor } from './page-cursor';

/**
 * One page of `model`'s documents matching `filter`, newest first by `key` then `_id`.
 * Keyset pagination: the next page starts strictly after the last item's (key, _id), so
 * inserts between two requests neither repeat nor skip items already listed.
 * `page.first` is validated by the caller; one more is read to know if a next page exists.
 */
export async function findKeysetPage<TDoc extends { _id: string }, K extends keyof TDoc & string, T>(
  model: Model<TDoc>,
  filter: QueryFilter<TDoc>,
  key: K,
  page: PageRequest,
  toItem: (doc: TDoc) => T,
): Promise<Page<T>> {
  const docs = (await model
    .find(keysetFilter(filter, key, page) as QueryFilter<TDoc>)
    .sort(keysetSort(key))
    .limit(page.first + 1)
    .lean()
    .exec()) as unknown as TDoc[];
  return keysetPageOf(docs, key, page, toItem);
}

/** `filter`, narrowed to the documents after `page.after` in keyset order (by `key`, then `_id`, descending). */
export function keysetFilter(filter: object, key: string, page: PageRequest): object {
  const after = page.after ? decodeCursor(page.after) : null;
  return after ? { $and: [filter, { $or: [{ [key]: { $lt: after.at } }, { [key]: after.at, _id: { $lt: after.id } }] }] } : filter;
}

/** The keyset order: newest first by `key`, then by `_id`. */
export function keysetSort(key: string): Record<string, -1> {
  return { [key]: -1, _id: -1 };
}

/** The page of the `page.first + 1` documents read in keyset order. */
export function keysetPageOf<TDoc extends { _id: string }, K extends keyof TDoc & string, T>(
  docs: readonly TDoc[],
  key: K,
  page: PageRequest,
  toItem: (doc: TDoc) => T,
): Page<T> {
  const kept = docs.slice(0, page.first);
  const last = kept.at(-1);
  return {
    items: kept.map(toItem),
    hasNextPage: docs.length > page.first,
    endCursor: last ? encodeCursor({ at: last[key] as Date, id: last._id }) : null,
  };
}
