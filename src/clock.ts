/** Time source, injectable so tests can move time instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The current time as the ISO string stored in the database. */
export function nowIso(clock: Clock): string {
  return clock.now().toISOString();
}
