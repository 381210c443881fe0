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
  /**
   * Counts an attempt before its outcome is known, so that attempts made in parallel cannot all slip under the
   * limit: refused while the scope is locked, or once `limit` attempts are counted in the window. A lockout that has
   * run out (or a window that has) starts the count over.
   */
  admit(scope: string, windowSeconds: number, limit: number): Promise<Admission>;
  /** Refuses the scope's attempts until `until`; a later lock already in place stays. */
  lock(scope: string, until: Date): Promise<void>;
  /** Takes back one attempt `admit` counted (it turned out right). */
  forgive(scope: string): Promise<void>;
  /** The scope's failures in the window and its lock, as every server sees them now. */
  state(scope: string, windowSeconds: number): Promise<AttemptState>;
}

export type Admission = { admitted: true; attempts: number } | { admitted: false; lockedUntil: Date | undefined };

export interface AttemptState {
  failures: number;
  /** Set while attempts are refused. */
  lockedUntil: Date | undefined;
}
