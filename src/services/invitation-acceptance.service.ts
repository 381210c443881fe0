import { hashPassword } from '#src/auth/password-hasher.js';
import { nowIso } from '#src/clock.js';
import { passwordProblems } from '#src/domain/password-policy.js';
import { AppError } from '#src/errors.js';
import type { ActionContext } from '#src/policies/action-context.js';
import type { AccountService } from '#src/services/account.service.js';
import { statusAt } from '#src/services/invitation.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { SessionService } from '#src/services/session.service.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { EmailInvitationRow, OrganizationRow, UserRow } from '#src/storage/schema.js';

export const INVITATION_UNKNOWN_MESSAGE = 'This invitation link is not valid. Ask for a new invitation.';
export const INVITATION_EXPIRED_MESSAGE = 'This invitation has expired. Ask the person who invited you to send it again.';
export const INVITATION_REVOKED_MESSAGE = 'This invitation was withdrawn. Ask for a new one if you still need access.';
export const INVITATION_USED_MESSAGE = 'This invitation was already accepted. Log in to continue.';

/** An open invitation, with what the page needs to show. */
export interface InvitationView {
  invitation: EmailInvitationRow;
  organization: OrganizationRow;
  /** The account the invitation's address already has, if any: then accepting needs that account's login. */
  account: UserRow | undefined;
}

export interface NewAccountAcceptance {
  user: UserRow;
  /** Value for the session cookie: the new account is logged in. */
  sessionCookie: string;
  /** How long the session may live (the organization's session policy): the lifetime of its cookie. */
  sessionMaxAgeSeconds: number;
}

/**
 * Accepting an e-mail invitation: a new account in the invitation's role (logged in at once: the link proved the
 * mailbox), or, for an address that already has an account, joining the organization, then signing in as it (or
 * joining while signed in as it). A removed member comes back in the new role. Works when sign-up without a link is
 * closed.
 */
export class InvitationAcceptanceService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
  ) {}

  /** The invitation behind a link, or the refusal saying why it cannot be used. */
  async inspect(token: string): Promise<InvitationView> {
    const { repos, secrets, clock } = this.deps;
    const unknown = AppError.forbidden(INVITATION_UNKNOWN_MESSAGE, 'auth.invite_invalid');
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw unknown;
    const invitation = await repos.invitations.findByHash(secrets.emailInvites.lookupHash(token));
    const organization = invitation ? await repos.organizations.findById(invitation.organization_id) : undefined;
    if (!invitation || !organization) throw unknown;
    const status = statusAt(invitation, clock.now());
    if (status === 'expired') throw AppError.forbidden(INVITATION_EXPIRED_MESSAGE, 'auth.invite_invalid');
    if (status === 'revoked') throw AppError.forbidden(INVITATION_REVOKED_MESSAGE, 'auth.invite_invalid');
    if (status === 'accepted') throw AppError.forbidden(INVITATION_USED_MESSAGE, 'auth.invite_invalid');
    return { invitation, organization, account: await repos.users.findByEmail(invitation.email) };
  }

  /** Creates the invited account with the chosen password, in the invitation's role, and logs it in. */
  async acceptAsNewAccount(ctx: ActionContext, token: string, password: string): Promise<NewAccountAcceptance> {
    const { invitation, account } = await this.inspect(token);
    if (account) throw AppError.validation({ non_field_errors: [`An account exists for ${invitation.email}: log in to accept the invitation.`] });
    const problems = await passwordProblems(password, { email: invitation.email });
    if (problems.length > 0) throw AppError.validation({ password: problems });
    const passwordHash = await hashPassword(password);
    const accepted = await this.deps.uow.run(ctx, async (tx) => {
      const created = await this.accounts.create(tx, { email: invitation.email, passwordHash, username: invitation.email.split('@')[0] ?? '' });
      await this.#join(tx, invitation, created);
      const now = nowIso(this.deps.clock);
      await tx.repos.users.update(created.id, { last_login: now, last_activity: now });
      const actor = { id: created.id, email: created.email };
      await tx.record({
        action: 'auth.signed_up',
        actor,
        organizationId: invitation.organization_id,
        target: { type: 'user', id: created.id },
        details: { invited: true, via: 'email_invitation', role: invitation.role },
      });
      await this.#recordAccepted(tx, invitation, actor);
      return { user: created, sessionCookie: await this.sessions.start(tx, created.id, true) };
    });
    return { ...accepted, sessionMaxAgeSeconds: await this.sessions.maxAgeSeconds(invitation.organization_id) };
  }

  /**
   * The invited address already has an account and nobody is signed in: the link (which only that mailbox received)
   * is the proof, as for a password reset. The account joins, and gets no session: its owner logs in next, with the
   * password and every check login makes. An account outside every organization could not log in before joining.
   */
  async acceptForAccount(ctx: ActionContext, token: string): Promise<UserRow> {
    const { invitation, account } = await this.inspect(token);
    if (!account) throw AppError.validation({ non_field_errors: [`No account exists for ${invitation.email} yet: choose a password to create it.`] });
    if (!account.is_active) throw AppError.forbidden(INVITATION_UNKNOWN_MESSAGE, 'auth.invite_invalid');
    await this.deps.uow.run(ctx, async (tx) => {
      await this.#join(tx, invitation, account);
      await this.#recordAccepted(tx, invitation, { id: account.id, email: account.email });
    });
    return account;
  }

  /** The signed-in account the invitation is for joins the organization (which becomes its active one). */
  async acceptAsSignedIn(ctx: ActionContext, token: string): Promise<OrganizationRow> {
    const { invitation, organization } = await this.inspect(token);
    const user = ctx.principal;
    if (!user) throw AppError.unauthenticated();
    if (user.email.toLowerCase() !== invitation.email) {
      throw AppError.forbidden(`This invitation is for ${invitation.email}. Log in as ${invitation.email} to accept it.`, 'auth.invite_invalid');
    }
    await this.deps.uow.run(ctx, async (tx) => {
      await this.#join(tx, invitation, user);
      await this.#recordAccepted(tx, invitation, { id: user.id, email: user.email });
    });
    return organization;
  }

  /**
   * Step: closes the invitation (once: a revocation or another acceptance racing loses) and makes the user a member
   * in its role; a removed member is restored, a live one keeps the membership they have.
   */
  async #join(tx: Tx, invitation: EmailInvitationRow, user: UserRow): Promise<void> {
    const at = nowIso(this.deps.clock);
    const closed = await tx.repos.invitations.close(invitation.id, { status: 'accepted', accepted_at: at, accepted_user_id: user.id, updated_at: at });
    if (!closed) throw AppError.forbidden(INVITATION_USED_MESSAGE, 'auth.invite_invalid');
    const membership = await tx.repos.memberships.find(user.id, invitation.organization_id);
    if (!membership) await tx.repos.memberships.insert(user.id, invitation.organization_id, invitation.role, at);
    else if (membership.deleted_at !== null) await tx.repos.memberships.restore(membership.id, invitation.role, at);
    await tx.repos.users.update(user.id, { active_organization_id: invitation.organization_id });
  }

  async #recordAccepted(tx: Tx, invitation: EmailInvitationRow, actor: { id: number; email: string }): Promise<void> {
    await tx.record({
      action: 'invite.accepted',
      actor,
      organizationId: invitation.organization_id,
      target: { type: 'invite', id: invitation.id },
      details: { email: invitation.email, role: invitation.role },
    });
  }
}
