import type { Clock } from '#src/clock.js';

/** A clock that moves only when told: time-dependent rules are tested without sleeping. */
export class ManualClock implements Clock {
  #now: number;
  readonly #start: number;

  constructor(start = Date.now()) {
    this.#start = start;
    this.#now = start;
  }

  /** Puts the clock `ms` after where it started. */
  setOffset(ms: number): void {
    this.#now = this.#start + ms;
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
