import { createHash, randomBytes } from 'node:crypto';
import { describeDevice } from '#src/domain/user-agent.js';
import { systemContext, type MemberContext } from '#src/policies/action-context.js';
import type { Repositories } from '#src/repositories/index.js';
import type { SessionRow } from '#src/repositories/session.repository.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { SessionLimits, SessionPolicyService } from '#src/services/session-policy.service.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { UserRow } from '#src/storage/schema.js';

/** A session's last-seen time is written at most this often (and a quarter of the idle limit), not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ResolvedSession {
  session: SessionRow;
  user: UserRow;
}

/** A live session as its owner sees it ("Your sessions"). */
export interface SessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  device: string;
  /** The session of the request that asks. */
  current: boolean;
}

const hashId = (cookieValue: string): string => createHash('sha256').update(cookieValue).digest('hex');

/** When the session ends under the limits: its absolute age or its idle time, whichever comes first. */
function deadline(session: Pick<SessionRow, 'created_at' | 'last_seen_at'>, limits: SessionLimits): Date {
  const absolute = new Date(session.created_at).getTime() + limits.maxAgeSeconds * 1000;
  const idle = new Date(session.last_seen_at).getTime() + limits.idleSeconds * 1000;
  return new Date(Math.min(absolute, idle));
}

/**
 * Server-side web sessions: the cookie holds a random id, the database only its SHA-256. Every request checks the
 * session against the session policy of the user's active organization as it is then, so a revocation, a shorter
 * policy or a password change holds from the next request, on every server.
 */
export class SessionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly policies: SessionPolicyService,
  ) {}

  /** Step: starts a session for the user; returns the cookie value (a fresh id on every login). */
  async start(tx: Tx, userId: number, keepLoggedIn: boolean): Promise<string> {
    const cookieValue = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const user = await tx.repos.users.findById(userId);
    const limits = await this.limits(user?.active_organization_id ?? null, tx.repos);
    const at = now.toISOString();
    await tx.repos.sessions.insert({
      id_hash: hashId(cookieValue),
      public_id: randomBytes(16).toString('base64url'),
      user_id: userId,
      created_at: at,
      last_seen_at: at,
      expires_at: deadline({ created_at: at, last_seen_at: at }, limits).toISOString(),
      keep_logged_in: keepLoggedIn,
      ip: tx.context.ip,
      user_agent: tx.context.userAgent?.slice(0, 512) ?? null,
    });
    return cookieValue;
  }

  /** How long a session may live (for the cookie of "Keep me logged in"), in the user's active organization. */
  async maxAgeSeconds(organizationId: number | null): Promise<number> {
    return (await this.limits(organizationId)).maxAgeSeconds;
  }

  /**
   * The live session and its active user, or undefined: unknown, revoked, or past the session policy (then removed).
   * `ip` is where the request comes from, kept for the owner's list of sessions.
   */
  async resolve(cookieValue: string, ip: string | null = null): Promise<ResolvedSession | undefined> {
    const { repos, reads, uow } = this.deps;
    const idHash = hashId(cookieValue);
    let session = await reads.session(idHash);
    if (!session) return undefined;
    const user = await reads.user(session.user_id);
    if (!user || !user.is_active) return undefined;
    const limits = await this.limits(user.active_organization_id);
    const now = this.deps.clock.now();
    // A cached row may predate another server's touch: only the stored row decides that a session has expired.
    if (deadline(session, limits) <= now) session = await repos.sessions.find(idHash);
    if (!session) return undefined;
    if (deadline(session, limits) <= now) {
      await uow.run(systemContext('session expiry'), (tx) => tx.repos.sessions.delete(idHash));
      return undefined;
    }
    const touchEvery = Math.min(TOUCH_INTERVAL_MS, (limits.idleSeconds * 1000) / 4);
    if (now.getTime() - new Date(session.last_seen_at).getTime() >= touchEvery) {
      const lastSeenAt = now.toISOString();
      const expiresAt = deadline({ created_at: session.created_at, last_seen_at: lastSeenAt }, limits).toISOString();
      const seenFrom = ip ?? session.ip;
      await uow.run(systemContext('session activity'), (tx) => tx.repos.sessions.touch(idHash, lastSeenAt, expiresAt, seenFrom));
      // The cached row is this server's copy of the stored one: keep it in step rather than reading it again.
      Object.assign(session, { last_seen_at: lastSeenAt, expires_at: expiresAt, ip: seenFrom });
    }
    return { session, user };
  }

  /** The user's live sessions, most recently used first; `currentCookie` marks the one asking. */
  async list(ctx: MemberContext, currentCookie: string | undefined): Promise<SessionSummary[]> {
    const user = ctx.actor.user;
    const limits = await this.limits(user.active_organization_id);
    const now = this.deps.clock.now();
    const current = currentCookie ? hashId(currentCookie) : undefined;
    const rows = await this.deps.repos.sessions.listForUser(user.id);
    return rows
      .filter((row) => deadline(row, limits) > now)
      .map((row) => ({
        id: row.public_id,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: deadline(row, limits).toISOString(),
        ip: row.ip,
        userAgent: row.user_agent,
        device: describeDevice(row.user_agent),
        current: row.id_hash === current,
      }));
  }

  /**
   * Ends one of the caller's own sessions; it is refused from its next request. Returns 1, or 0 for an id that is not
   * (or no longer) one of theirs: another person's session is never reached, and a session already gone is no error.
   */
  async revoke(ctx: MemberContext, publicId: string): Promise<number> {
    const userId = ctx.actor.user.id;
    return this.deps.uow.run(ctx, async (tx) => {
      const row = await tx.repos.sessions.findByPublicId(userId, publicId);
      if (!row) return 0;
      await tx.repos.sessions.delete(row.id_hash);
      await tx.record({ action: 'auth.session_revoked', target: { type: 'user', id: userId }, details: { ended: 1, device: describeDevice(row.user_agent), ip: row.ip } });
      return 1;
    });
  }

  /** Ends every session of the caller but the one asking; returns how many ended. */
  async revokeOthers(ctx: MemberContext, currentCookie: string | undefined): Promise<number> {
    const userId = ctx.actor.user.id;
    return this.deps.uow.run(ctx, async (tx) => {
      const ended = await this.endOthers(tx, userId, currentCookie);
      if (ended > 0) await tx.record({ action: 'auth.session_revoked', target: { type: 'user', id: userId }, details: { ended, all_others: true } });
      return ended;
    });
  }

  /** Step: ends every session of the user except the one of `keepCookie`; returns how many ended. */
  endOthers(tx: Tx, userId: number, keepCookie: string | undefined): Promise<number> {
    return tx.repos.sessions.deleteForUser(userId, keepCookie ? hashId(keepCookie) : undefined);
  }

  /** Step: ends one session (logout). */
  async end(tx: Tx, cookieValue: string): Promise<void> {
    await tx.repos.sessions.delete(hashId(cookieValue));
  }

  /** The limits in force: through the read cache, or with `repos` of a transaction inside one (SQLite has a single connection). */
  private limits(organizationId: number | null, repos?: Repositories): Promise<SessionLimits> {
    return this.policies.limitsFor(organizationId, repos);
  }
}
