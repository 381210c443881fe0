import { AppError } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import { assertTarget } from '#src/policies/target-rules.js';
import type { ServiceDeps } from '#src/services/service-deps.js';

/** The organization's requirement, as the API shows it. */
export interface TwoFactorRequirement {
  organizationId: number;
  required: boolean;
}

/** Whether a member uses two-factor sign-in. */
export interface MemberTwoFactor {
  userId: number;
  enabled: boolean;
  enabledAt: string | null;
}

export const SELF_FIRST_MESSAGE = 'Turn on two-factor sign-in for your own account first (Account & Settings).';
const NOT_ENABLED_FOR_MEMBER = 'This member does not use two-factor sign-in.';

/** Two-factor sign-in as the organization's owner and administrators manage it: the requirement, and resets. */
export class TwoFactorAdminService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Whether the actor's organization (the one the URL names) requires two-factor sign-in. */
  async requirement(ctx: MemberContext): Promise<TwoFactorRequirement> {
    const organization = await this.deps.repos.organizations.findById(ctx.actor.organizationId);
    if (!organization) throw AppError.notFound();
    return { organizationId: organization.id, required: organization.require_two_factor };
  }

  /**
   * Requires two-factor sign-in of every member, or stops requiring it. Requiring it takes an actor who uses it:
   * otherwise the change would send them to enrolment at once.
   */
  async setRequirement(ctx: MemberContext, required: boolean): Promise<TwoFactorRequirement> {
    const { actor } = ctx;
    const before = await this.requirement(ctx);
    if (required && !before.required) {
      const own = await this.deps.repos.twoFactor.find(actor.user.id);
      if (own?.enabled_at == null) throw new AppError('two_factor.not_enabled', SELF_FIRST_MESSAGE);
    }
    if (before.required === required) return before;
    await this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.organizations.update(actor.organizationId, { require_two_factor: required, updated_at: this.deps.clock.now().toISOString() });
      await tx.record({
        action: 'organization.two_factor_requirement_changed',
        target: { type: 'organization', id: actor.organizationId },
        details: { require_two_factor: { before: before.required, after: required } },
      });
    });
    return { organizationId: actor.organizationId, required };
  }

  /** Whether a member of the actor's organization uses two-factor sign-in (404 for anyone else). */
  async memberStatus(ctx: MemberContext, userId: number): Promise<MemberTwoFactor> {
    await this.#member(ctx, userId);
    const row = await this.deps.repos.twoFactor.find(userId);
    return { userId, enabled: row?.enabled_at != null, enabledAt: row?.enabled_at ?? null };
  }

  /**
   * Resets a member's second factor (lost phone, no recovery codes left): their authenticator and recovery codes are
   * removed, so they log in with the password alone, or enrol again where the organization requires it.
   */
  async resetMember(ctx: MemberContext, userId: number): Promise<void> {
    const membership = await this.#member(ctx, userId);
    assertTarget('reset_two_factor', ctx.actor, { userId, role: membership.role });
    const user = await this.deps.repos.users.findById(userId);
    await this.deps.uow.run(ctx, async (tx) => {
      if (!(await tx.repos.twoFactor.deleteForUser(userId))) throw new AppError('two_factor.not_enabled', NOT_ENABLED_FOR_MEMBER);
      await tx.record({ action: 'user.two_factor_reset', target: { type: 'user', id: userId }, details: { email: user?.email ?? null } });
    });
  }

  async #member(ctx: MemberContext, userId: number) {
    const membership = await this.deps.repos.memberships.find(userId, ctx.actor.organizationId);
    if (!membership || membership.deleted_at !== null) throw AppError.notFound();
    return membership;
  }
}
