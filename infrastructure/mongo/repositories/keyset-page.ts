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
  const after = page.after ? decodeCursor(page.after) : null;
  const query = after
    ? { $and: [filter, { $or: [{ [key]: { $lt: after.at } }, { [key]: after.at, _id: { $lt: after.id } }] }] }
    : filter;
  const docs = (await model
    .find(query as QueryFilter<TDoc>)
    .sort({ [key]: -1, _id: -1 })
    .limit(page.first + 1)
    .lean()
    .exec()) as unknown as TDoc[];
  const items = docs.slice(0, page.first);
  const last = items.at(-1);
  return {
    items: items.map(toItem),
    hasNextPage: docs.length > page.first,
    endCursor: last ? encodeCursor({ at: last[key] as Date, id: last._id }) : null,
  };
}
