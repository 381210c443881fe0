import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '#src/clock.js';
import type { Repositories } from '#src/repositories/index.js';
import type { SessionRow } from '#src/repositories/session.repository.js';
import type { UserRow } from '#src/storage/schema.js';

/** A session's last-seen time is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionLimits {
  maxAgeSeconds: number;
  inactivitySeconds: number;
}

export interface ResolvedSession {
  session: SessionRow;
  user: UserRow;
}

const hashId = (cookieValue: string): string => createHash('sha256').update(cookieValue).digest('hex');

/** Server-side web sessions: the cookie holds a random id, the database only its SHA-256. */
export class SessionService {
  constructor(
    private readonly repos: Repositories,
    private readonly clock: Clock,
    private readonly limits: SessionLimits,
  ) {}

  /** Starts a session for the user; returns the cookie value (a fresh id on every login). */
  async start(userId: number, keepLoggedIn: boolean): Promise<string> {
    const cookieValue = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.repos.sessions.insert({
      id_hash: hashId(cookieValue),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: this.#expiry(now, now).toISOString(),
      keep_logged_in: keepLoggedIn,
    });
    return cookieValue;
  }

  /** The live session and its active user, or undefined (expired sessions are removed). */
  async resolve(cookieValue: string): Promise<ResolvedSession | undefined> {
    const idHash = hashId(cookieValue);
    const session = await this.repos.sessions.find(idHash);
    if (!session) return undefined;
    const now = this.clock.now();
    if (new Date(session.expires_at) <= now) {
      await this.repos.sessions.delete(idHash);
      return undefined;
    }
    const user = await this.repos.users.findById(session.user_id);
    if (!user || !user.is_active) return undefined;
    if (now.getTime() - new Date(session.last_seen_at).getTime() >= TOUCH_INTERVAL_MS) {
      await this.repos.sessions.touch(idHash, now.toISOString(), this.#expiry(new Date(session.created_at), now).toISOString());
    }
    return { session, user };
  }

  async end(cookieValue: string): Promise<void> {
    await this.repos.sessions.delete(hashId(cookieValue));
  }

  /** Expires at the earlier of: max age after login, inactivity limit after now. */
  #expiry(createdAt: Date, now: Date): Date {
    const byAge = createdAt.getTime() + this.limits.maxAgeSeconds * 1000;
    const byActivity = now.getTime() + this.limits.inactivitySeconds * 1000;
    return new Date(Math.min(byAge, byActivity));
  }
}
