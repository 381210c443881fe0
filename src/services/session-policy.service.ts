import { diffFields } from '#src/domain/audit.js';
import { MAX_ROW_ID } from '#src/domain/limits.js';
import { AppError, type ValidationErrors } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import type { Repositories } from '#src/repositories/index.js';
import type { ServiceDeps } from '#src/services/service-deps.js';

/** How long a web session may live, and stay idle, in an organization. */
export interface SessionLimits {
  maxAgeSeconds: number;
  idleSeconds: number;
}

/** Enterprise's SessionTimeoutPolicy: minutes; the timestamps are null while the organization keeps the defaults. */
export interface SessionPolicy {
  maxSessionAge: number;
  maxTimeBetweenActivity: number;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface SessionPolicyChanges {
  maxSessionAge?: number;
  maxTimeBetweenActivity?: number;
}

const inRange = (minutes: number): boolean => Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_ROW_ID;
const RANGE_MESSAGE = `Ensure this value is between 1 and ${MAX_ROW_ID} (minutes).`;

/**
 * Per-organization session timeouts (Enterprise's session policy API): the absolute age and the idle time of a web
 * session, in minutes. An organization that never set one has the server's MAX_SESSION_AGE and
 * MAX_TIME_BETWEEN_ACTIVITY. Read on every session-authenticated request, so a change holds from the next one.
 */
export class SessionPolicyService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The limits for a session whose user is active in `organizationId` (the server's defaults without one): through
   * the read cache, or with `repos` of a transaction inside one.
   */
  async limitsFor(organizationId: number | null, repos?: Repositories): Promise<SessionLimits> {
    const row =
      organizationId === null
        ? undefined
        : repos
          ? await repos.sessionPolicies.find(organizationId)
          : (await this.deps.reads.sessionPolicy(organizationId)).policy;
    if (!row) return { maxAgeSeconds: this.deps.config.sessions.maxAgeSeconds, idleSeconds: this.deps.config.sessions.inactivitySeconds };
    return { maxAgeSeconds: row.max_session_age * 60, idleSeconds: row.max_time_between_activity * 60 };
  }

  /** The active organization's policy (GET /api/session-policy/). */
  async get(ctx: MemberContext): Promise<SessionPolicy> {
    const row = await this.deps.repos.sessionPolicies.find(ctx.actor.organizationId);
    if (row) return { maxSessionAge: row.max_session_age, maxTimeBetweenActivity: row.max_time_between_activity, createdAt: row.created_at, updatedAt: row.updated_at };
    const { maxAgeSeconds, inactivitySeconds } = this.deps.config.sessions;
    return { maxSessionAge: Math.ceil(maxAgeSeconds / 60), maxTimeBetweenActivity: Math.ceil(inactivitySeconds / 60), createdAt: null, updatedAt: null };
  }

  /** Changes the active organization's policy (owner, administrator); absent fields stay as they are. */
  async update(ctx: MemberContext, changes: SessionPolicyChanges): Promise<SessionPolicy> {
    const problems: ValidationErrors = {};
    if (changes.maxSessionAge !== undefined && !inRange(changes.maxSessionAge)) problems.max_session_age = [RANGE_MESSAGE];
    if (changes.maxTimeBetweenActivity !== undefined && !inRange(changes.maxTimeBetweenActivity)) problems.max_time_between_activity = [RANGE_MESSAGE];
    if (Object.keys(problems).length > 0) throw AppError.validation(problems);
    const before = await this.get(ctx);
    if (changes.maxSessionAge === undefined && changes.maxTimeBetweenActivity === undefined) return before;
    const after = {
      maxSessionAge: changes.maxSessionAge ?? before.maxSessionAge,
      maxTimeBetweenActivity: changes.maxTimeBetweenActivity ?? before.maxTimeBetweenActivity,
    };
    const changed = diffFields(
      { max_session_age: before.maxSessionAge, max_time_between_activity: before.maxTimeBetweenActivity },
      { max_session_age: after.maxSessionAge, max_time_between_activity: after.maxTimeBetweenActivity },
    );
    // Saving the defaults unchanged still pins them for the organization: a later change of the server's defaults no longer applies.
    if (Object.keys(changed).length === 0 && before.createdAt !== null) return before;
    const organizationId = ctx.actor.organizationId;
    const row = await this.deps.uow.run(ctx, async (tx) => {
      const saved = await tx.repos.sessionPolicies.save(organizationId, after, this.deps.clock.now().toISOString());
      await tx.record({ action: 'organization.session_policy_changed', target: { type: 'organization', id: organizationId }, details: { changes: changed } });
      return saved;
    });
    return { maxSessionAge: row.max_session_age, maxTimeBetweenActivity: row.max_time_between_activity, createdAt: row.created_at, updatedAt: row.updated_at };
  }
}
