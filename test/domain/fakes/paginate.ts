import type { Page, PageRequest } from '../../../domain/shared/page';

/** Offset pagination behind an opaque cursor: enough for the fakes. */
export function paginate<T>(items: readonly T[], page: PageRequest): Page<T> {
  const start = page.after ? Number(page.after) : 0;
  const slice = items.slice(start, start + page.first);
  const end = start + slice.length;
  return { items: slice, endCursor: slice.length > 0 ? String(end) : null, hasNextPage: end < items.length };
}
