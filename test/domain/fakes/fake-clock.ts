import type { Clock } from '../../../domain/shared/clock';

/** A clock that only moves when told to; `now()` hands out a fresh Date every time. */
export class FakeClock implements Clock {
  private ms: number;

  constructor(start: Date | string = '2030-01-01T00:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Moves the clock forward (or back, with a negative amount) by `ms` milliseconds. */
  advance(ms: number): Date {
    this.ms += ms;
    return this.now();
  }

  set(at: Date | string): Date {
    this.ms = new Date(at).getTime();
    return this.now();
  }
}
