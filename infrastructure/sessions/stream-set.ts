const NONE: ReadonlySet<never> = new Set();

/**
 * The subscriptions of one kind on a session. Most sockets never open most kinds, and an
 * empty Set with its table is over a hundred bytes per socket, so it is made on first use.
 */
export class StreamSet<T> implements Iterable<T> {
  private streams: Set<T> | null = null;

  get size(): number {
    return this.streams?.size ?? 0;
  }

  add(stream: T): void {
    (this.streams ??= new Set()).add(stream);
  }

  delete(stream: T): boolean {
    return this.streams?.delete(stream) ?? false;
  }

  clear(): void {
    this.streams = null;
  }

  [Symbol.iterator](): Iterator<T> {
    return (this.streams ?? NONE)[Symbol.iterator]();
  }
}
