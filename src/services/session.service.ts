import { createHash, randomBytes } from 'node:crypto';
import { systemContext } from '#src/policies/action-context.js';
import type { SessionRow } from '#src/repositories/session.repository.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { UserRow } from '#src/storage/schema.js';

/** A session's last-seen time is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ResolvedSession {
  session: SessionRow;
  user: UserRow;
}

const hashId = (cookieValue: string): string => createHash('sha256').update(cookieValue).digest('hex');

/** Server-side web sessions: the cookie holds a random id, the database only its SHA-256. */
export class SessionService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Step: starts a session for the user; returns the cookie value (a fresh id on every login). */
  async start(tx: Tx, userId: number, keepLoggedIn: boolean): Promise<string> {
    const cookieValue = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    await tx.repos.sessions.insert({
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
    const { repos, reads, uow } = this.deps;
    const idHash = hashId(cookieValue);
    let session = await reads.session(idHash);
    if (!session) return undefined;
    const now = this.deps.clock.now();
    // A cached row may predate another server's touch: only the stored row decides that a session has expired.
    if (new Date(session.expires_at) <= now) session = await repos.sessions.find(idHash);
    if (!session) return undefined;
    if (new Date(session.expires_at) <= now) {
      await uow.run(systemContext('session expiry'), (tx) => tx.repos.sessions.delete(idHash));
      return undefined;
    }
    const user = await reads.user(session.user_id);
    if (!user || !user.is_active) return undefined;
    if (now.getTime() - new Date(session.last_seen_at).getTime() >= TOUCH_INTERVAL_MS) {
      const lastSeenAt = now.toISOString();
      const expiresAt = this.#expiry(new Date(session.created_at), now).toISOString();
      await uow.run(systemContext('session activity'), (tx) => tx.repos.sessions.touch(idHash, lastSeenAt, expiresAt));
      // The cached row is this server's copy of the stored one: keep it in step rather than reading it again.
      Object.assign(session, { last_seen_at: lastSeenAt, expires_at: expiresAt });
    }
    return { session, user };
  }

  /** Step: ends one session (logout). */
  async end(tx: Tx, cookieValue: string): Promise<void> {
    await tx.repos.sessions.delete(hashId(cookieValue));
  }

  /** Expires at the earlier of: max age after login, inactivity limit after now. */
  #expiry(createdAt: Date, now: Date): Date {
    const { maxAgeSeconds, inactivitySeconds } = this.deps.config.sessions;
    return new Date(Math.min(createdAt.getTime() + maxAgeSeconds * 1000, now.getTime() + inactivitySeconds * 1000));
  }
}
