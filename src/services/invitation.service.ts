import { randomBytes } from 'node:crypto';
import { nowIso } from '#src/clock.js';
import { emailProblem, normalizeEmail } from '#src/domain/email.js';
import { resolvePage, type PageRequest, type PageWindow } from '#src/domain/pagination.js';
import { AppError } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import { inviteRoleRefusal, invitableRoles } from '#src/policies/invite-rules.js';
import type { InvitationListStatus, InvitationWithInviter } from '#src/repositories/invitation.repository.js';
import { invitationMail } from '#src/services/mail-templates.js';
import { publicLink } from '#src/services/public-link.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { EmailInvitationRow, RoleCode } from '#src/storage/schema.js';

/** Times one invitation may be e-mailed (the first time included); then revoke it and invite again. */
export const MAX_INVITATION_SENDS = 5;
/** Addresses one request may invite. */
export const MAX_INVITES_PER_REQUEST = 100;
/** Where the link in an invitation leads. */
export const INVITE_ACCEPT_PATH = '/user/invite/accept/';
export const INVITE_MAIL_DISABLED_MESSAGE =
  'This server cannot send e-mail, so invitations cannot be e-mailed. Share the invite link instead, or ask the administrator to configure SMTP (EMAIL_HOST).';
export const NO_OPEN_INVITATION_MESSAGE = 'No pending invitation for this e-mail address.';
export const INVITATION_STATUSES: readonly InvitationListStatus[] = ['pending', 'expired', 'accepted', 'revoked'];

export interface SendInvitesInput {
  emails: readonly string[];
  role: string | undefined;
  userType: string | undefined;
}

/** An invitation as the list shows it: its status as of now, and what the viewer may do with it. */
export interface InvitationEntry {
  invitation: InvitationWithInviter;
  status: InvitationListStatus;
  sendsLeft: number;
  allowedActions: Array<'resend' | 'revoke'>;
}

export interface InvitationList {
  window: PageWindow;
  entries: InvitationEntry[];
  emailEnabled: boolean;
  invitableRoles: RoleCode[];
}

/** The status of an invitation at `now`: a pending one past its expiry is expired. */
export function statusAt(invitation: EmailInvitationRow, now: Date): InvitationListStatus {
  return invitation.status === 'pending' && new Date(invitation.expires_at) <= now ? 'expired' : invitation.status;
}

/**
 * E-mail invitations to an organization, in a role (Enterprise's `invites.send_email` / `revoke_invite`): sent,
 * listed, resent with a limit and revoked by members who may invite, never in a role above their own. Each link
 * is a fresh secret kept only as a keyed hash: a resend replaces it, so the link of an earlier message stops working.
 */
export class InvitationService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Invites each address (all or none): a new invitation, or the open one renewed in the new role. */
  async send(ctx: MemberContext, input: SendInvitesInput): Promise<EmailInvitationRow[]> {
    const { deps } = this;
    if (!deps.mailer.enabled) throw new AppError('mail.not_configured', INVITE_MAIL_DISABLED_MESSAGE);
    if (input.userType !== undefined && input.userType !== 'standard') {
      throw AppError.validation({ user_type: ['Only "standard" seats exist on this server: leave user_type out or send "standard".'] });
    }
    if (input.role === undefined) throw AppError.validation({ role: ['This field is required.'] });
    const refusal = inviteRoleRefusal(ctx.actor, input.role);
    if (refusal) throw refusal;
    const role = input.role as RoleCode;
    const emails = [...new Set(input.emails.map(normalizeEmail))];
    if (emails.length === 0) throw AppError.validation({ emails: ['Give at least one e-mail address.'] });
    if (emails.length > MAX_INVITES_PER_REQUEST) throw AppError.validation({ emails: [`Invite at most ${MAX_INVITES_PER_REQUEST} addresses at once.`] });
    const problems: string[] = [];
    for (const email of emails) {
      const problem = emailProblem(email);
      if (problem) problems.push(`${email || '(empty)'}: ${problem}`);
      else if (await this.#isMember(ctx.actor.organizationId, email)) problems.push(`${email} is already a member of this organization.`);
    }
    if (problems.length > 0) throw AppError.validation({ emails: problems }, problems.some((p) => p.includes('already a member')) ? 'invite.already_member' : 'request.invalid');

    return deps.uow.run(ctx, async (tx) => {
      const sent: EmailInvitationRow[] = [];
      for (const email of emails) {
        const open = await tx.repos.invitations.findOpen(ctx.actor.organizationId, email);
        sent.push(open ? await this.#renew(tx, ctx, open, role) : await this.#create(tx, ctx, email, role));
      }
      return sent;
    });
  }

  /** Enterprise's `revoke_invite(email)`: the open invitation of that address to the caller's organization. */
  async revokeByEmail(ctx: MemberContext, email: string): Promise<EmailInvitationRow> {
    return this.#close(ctx, await this.#openFor(ctx, email));
  }

  /** Resends the open invitation of that address (the People page names invitations by address, as Enterprise does). */
  async resendByEmail(ctx: MemberContext, email: string): Promise<EmailInvitationRow> {
    if (!this.deps.mailer.enabled) throw new AppError('mail.not_configured', INVITE_MAIL_DISABLED_MESSAGE);
    const invitation = await this.#openFor(ctx, email);
    return this.deps.uow.run(ctx, (tx) => this.#renew(tx, ctx, invitation, invitation.role));
  }

  /** One page of the organization's invitations with the given statuses, most recently sent first. */
  async list(ctx: MemberContext, statuses: readonly InvitationListStatus[], page: PageRequest): Promise<InvitationList> {
    const { repos, clock, mailer } = this.deps;
    const now = clock.now();
    const query = { organizationId: ctx.actor.organizationId, statuses, now: now.toISOString() };
    const window = resolvePage(await repos.invitations.count(query), page, 'empty');
    const rows = window.offset >= window.count ? [] : await repos.invitations.list({ ...query, limit: window.pageSize, offset: window.offset });
    const entries = rows.map((invitation): InvitationEntry => {
      const status = statusAt(invitation, now);
      const open = status === 'pending' || status === 'expired';
      const mayAct = open && inviteRoleRefusal(ctx.actor, invitation.role) === null;
      const sendsLeft = Math.max(0, MAX_INVITATION_SENDS - invitation.send_count);
      const allowedActions: InvitationEntry['allowedActions'] = [];
      if (mayAct && mailer.enabled && sendsLeft > 0) allowedActions.push('resend');
      if (mayAct) allowedActions.push('revoke');
      return { invitation, status, sendsLeft: open ? sendsLeft : 0, allowedActions };
    });
    return { window, entries, emailEnabled: mailer.enabled, invitableRoles: invitableRoles(ctx.actor) };
  }

  async #isMember(organizationId: number, email: string): Promise<boolean> {
    const user = await this.deps.repos.users.findByEmail(email);
    if (!user) return false;
    const membership = await this.deps.repos.memberships.find(user.id, organizationId);
    return membership !== undefined && membership.deleted_at === null;
  }

  /**
   * The open (pending or expired) invitation of an address, which the actor may act on. None is a 400 on the field,
   * not a 404: the address is what was sent, and it names no invitation.
   */
  async #openFor(ctx: MemberContext, rawEmail: string): Promise<EmailInvitationRow> {
    const invitation = await this.deps.repos.invitations.findOpen(ctx.actor.organizationId, normalizeEmail(rawEmail));
    if (!invitation) throw AppError.validation({ email: [NO_OPEN_INVITATION_MESSAGE] });
    const refusal = inviteRoleRefusal(ctx.actor, invitation.role);
    if (refusal) throw refusal;
    return invitation;
  }

  async #close(ctx: MemberContext, invitation: EmailInvitationRow): Promise<EmailInvitationRow> {
    return this.deps.uow.run(ctx, async (tx) => {
      const at = nowIso(this.deps.clock);
      if (!(await tx.repos.invitations.close(invitation.id, { status: 'revoked', revoked_at: at, updated_at: at }))) {
        throw AppError.validation({ invitation: ['This invitation was accepted or revoked meanwhile.'] });
      }
      await tx.record({ action: 'invite.revoked', target: { type: 'invite', id: invitation.id }, details: { email: invitation.email, role: invitation.role } });
      return { ...invitation, status: 'revoked', revoked_at: at, updated_at: at };
    });
  }

  async #create(tx: Tx, ctx: MemberContext, email: string, role: RoleCode): Promise<EmailInvitationRow> {
    const { token, tokenHash, now, expiresAt } = this.#freshLink();
    const row = await tx.repos.invitations.insert({
      organization_id: ctx.actor.organizationId,
      email,
      role,
      token_hash: tokenHash,
      status: 'pending',
      invited_by_id: ctx.actor.user.id,
      created_at: now,
      updated_at: now,
      expires_at: expiresAt,
      last_sent_at: now,
      send_count: 1,
      accepted_at: null,
      accepted_user_id: null,
      revoked_at: null,
    });
    await this.#mail(tx, ctx, row, token);
    await tx.record({ action: 'invite.sent', target: { type: 'invite', id: row.id }, details: { email, role } });
    return row;
  }

  async #renew(tx: Tx, ctx: MemberContext, open: EmailInvitationRow, role: RoleCode): Promise<EmailInvitationRow> {
    if (open.send_count >= MAX_INVITATION_SENDS) {
      throw new AppError('invite.send_limit', `The invitation of ${open.email} was already sent ${MAX_INVITATION_SENDS} times. Revoke it and invite again if it must go out once more.`);
    }
    const { token, tokenHash, now, expiresAt } = this.#freshLink();
    const changes = { role, token_hash: tokenHash, updated_at: now, expires_at: expiresAt, last_sent_at: now, send_count: open.send_count + 1, invited_by_id: ctx.actor.user.id };
    await tx.repos.invitations.update(open.id, changes);
    const row = { ...open, ...changes };
    await this.#mail(tx, ctx, row, token);
    await tx.record({ action: 'invite.resent', target: { type: 'invite', id: open.id }, details: { email: open.email, role, sends: row.send_count } });
    return row;
  }

  #freshLink(): { token: string; tokenHash: string; now: string; expiresAt: string } {
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.deps.config.mail.inviteExpiryDays * 86_400_000).toISOString();
    return { token, tokenHash: this.deps.secrets.emailInvites.lookupHash(token), now: now.toISOString(), expiresAt };
  }

  async #mail(tx: Tx, ctx: MemberContext, invitation: EmailInvitationRow, token: string): Promise<void> {
    const organization = await tx.repos.organizations.findById(invitation.organization_id);
    const { user } = ctx.actor;
    const name = `${user.first_name} ${user.last_name}`.trim();
    await this.deps.mailer.send(
      tx,
      invitationMail({
        to: invitation.email,
        link: publicLink(this.deps.config, INVITE_ACCEPT_PATH, { token }),
        organization: organization?.title ?? 'Label Studio',
        inviter: name ? `${name} (${user.email})` : user.email,
        role: invitation.role,
        validForDays: this.deps.config.mail.inviteExpiryDays,
      }),
    );
  }
}
