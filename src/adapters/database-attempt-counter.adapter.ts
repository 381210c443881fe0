import type { Clock } from '#src/clock.js';
import type { Admission, AttemptCounter, AttemptState } from '#src/ports/attempt-counter.port.js';
import type { Repositories } from '#src/repositories/index.js';

/** Failure counts in the `auth_attempts` table: one atomic upsert per failure, outside any use case's transaction. */
export class DatabaseAttemptCounter implements AttemptCounter {
  constructor(
    private readonly repos: Repositories,
    private readonly clock: Clock,
  ) {}

  recordFailure(scope: string, windowSeconds: number): Promise<number> {
    const now = this.clock.now();
    return this.repos.authAttempts.increment(scope, now.toISOString(), this.windowStart(now, windowSeconds));
  }

  failures(scope: string, windowSeconds: number): Promise<number> {
    return this.repos.authAttempts.count(scope, this.windowStart(this.clock.now(), windowSeconds));
  }

  clear(scope: string): Promise<void> {
    return this.repos.authAttempts.delete(scope);
  }

  async admit(scope: string, windowSeconds: number, limit: number): Promise<Admission> {
    const now = this.clock.now();
    const attempts = await this.repos.authAttempts.admit(scope, now.toISOString(), this.windowStart(now, windowSeconds), limit);
    if (attempts !== undefined) return { admitted: true, attempts };
    return { admitted: false, lockedUntil: (await this.state(scope, windowSeconds)).lockedUntil };
  }

  lock(scope: string, until: Date): Promise<void> {
    return this.repos.authAttempts.lock(scope, until.toISOString());
  }

  forgive(scope: string): Promise<void> {
    return this.repos.authAttempts.forgive(scope);
  }

  async state(scope: string, windowSeconds: number): Promise<AttemptState> {
    const now = this.clock.now();
    const row = await this.repos.authAttempts.find(scope);
    const locked = row?.locked_until ? new Date(row.locked_until) : undefined;
    const lockedUntil = locked && locked > now ? locked : undefined;
    // A lockout keeps the failures that caused it, even past the window they were counted in.
    const live = row !== undefined && (lockedUntil !== undefined || row.window_started_at >= this.windowStart(now, windowSeconds));
    return { failures: live ? Number(row.failures) : 0, lockedUntil };
  }

  private windowStart(now: Date, windowSeconds: number): string {
    return new Date(now.getTime() - windowSeconds * 1000).toISOString();
  }
}
