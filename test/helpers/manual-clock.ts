import type { Clock } from '#src/clock.js';

/** A clock that moves only when told: time-dependent rules are tested without sleeping. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = Date.now()) {
    this.#now = start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
