/**
 * Counts failures (wrong passwords …) per scope — an account, a client address — within a sliding window, in the
 * database so that every server process sharing it sees the same count. Independent of any use case's transaction:
 * a failed login rolls back, its count must stay.
 */
export interface AttemptCounter {
  /** Records one failure and returns the failures in the current window, this one included. */
  recordFailure(scope: string, windowSeconds: number): Promise<number>;
  /** Failures in the current window. */
  failures(scope: string, windowSeconds: number): Promise<number>;
  /** Forgets the scope's failures (after a success, or when an administrator lifts a lockout). */
  clear(scope: string): Promise<void>;
}
