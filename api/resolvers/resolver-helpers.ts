import type { Page } from '../../domain/shared/page';

/** A domain page as the schema's `{ nodes, pageInfo }` connection. */
export function connection<T>(page: Page<T>) {
  return { nodes: page.items, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
}

/** A reference that must exist (the store keeps no dangling ones); its absence is a bug. */
export function requireFound<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`Dangling reference: ${what}`);
  return value;
}
