/**
 * An async iterator fed by `push`. `push` resolves once the consumer has asked for the
 * value after it, which for graphql-ws means the pushed value has been written to the
 * socket: that is how a BLOCKED event is known to precede the close frame, without a
 * sleep. `return()` (graphql-ws calls it on complete and on close) runs `onEnd` once.
 */
export class PushStream<T> implements AsyncGenerator<T, undefined, unknown> {
  private readonly buffer: { value: T; delivered: () => void }[] = [];
  private waiting: ((result: IteratorResult<T, undefined>) => void) | null = null;
  private pendingDelivery: (() => void) | null = null;
  private ended = false;

  constructor(private readonly onEnd: () => void = () => undefined) {}

  get isEnded(): boolean {
    return this.ended;
  }

  /** Resolves when the value has been consumed, or at once if the stream has ended. */
  push(value: T): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise<void>((delivered) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = null;
        this.settleDelivery(delivered);
        resolve({ value, done: false });
      } else {
        this.buffer.push({ value, delivered });
      }
    });
  }

  next(): Promise<IteratorResult<T, undefined>> {
    // Asking for the next value acknowledges the previous one.
    this.settleDelivery(null);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    const queued = this.buffer.shift();
    if (queued) {
      this.settleDelivery(queued.delivered);
      return Promise.resolve({ value: queued.value, done: false });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.end();
  }

  /** Ends the stream: the consumer sees `done`, pending pushes resolve, onEnd runs once. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.settleDelivery(null);
    for (const queued of this.buffer.splice(0)) queued.delivered();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onEnd();
  }

  private settleDelivery(next: (() => void) | null): void {
    this.pendingDelivery?.();
    this.pendingDelivery = next;
  }
}
