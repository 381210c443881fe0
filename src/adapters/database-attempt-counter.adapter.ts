import type { Clock } from '#src/clock.js';
import type { AttemptCounter } from '#src/ports/attempt-counter.port.js';
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

  private windowStart(now: Date, windowSeconds: number): string {
    return new Date(now.getTime() - windowSeconds * 1000).toISOString();
  }
}
