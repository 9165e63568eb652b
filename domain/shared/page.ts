/** Cursor pagination as every list port answers it. Cursors are opaque to the domain. */
export interface PageRequest {
  first: number;
  after?: string | null;
}

export interface Page<T> {
  items: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}
