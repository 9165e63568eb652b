import type { Clock } from '../../domain/shared/clock';

/** A clock tests move by hand, to see blocks expire without waiting days. */
export class MutableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export const DAY_MS = 86_400_000;
