import { hashPassword } from '#src/auth/password-hasher.js';
import { normalizeEmail } from '#src/domain/email.js';
import type { ActionContext } from '#src/policies/action-context.js';
import type { AccountService } from '#src/services/account.service.js';
import type { LegacyTokenService } from '#src/services/legacy-token.service.js';
import { DEFAULT_ORGANIZATION_TITLE, type OrganizationService } from '#src/services/organization.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { UserRow } from '#src/storage/schema.js';

export const DEFAULT_USERNAME = 'default_user@localhost';
/** Label Studio applies a `--user-token` only when it is longer than 5 characters. */
export const USER_TOKEN_MIN_LENGTH = 6;

export interface BootstrapInput {
  username: string;
  /** Empty: keep the current password (existing user) or create the user without a usable one. */
  password: string;
  userToken: string;
}

export interface BootstrapResult {
  user: UserRow;
  /** What happened, as lines to show the operator, in Label Studio's words where it has them. */
  messages: string[];
}

export interface BootstrapCollaborators {
  accounts: AccountService;
  organizations: OrganizationService;
  legacyTokens: LegacyTokenService;
}

/**
 * The start-up user of `init`/`start` (Label Studio's `_create_user`), fixed to update an existing user's password.
 * The operator chose these credentials on the command line, so the password rule is not applied (as in Label Studio).
 */
export class BootstrapService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: BootstrapCollaborators,
  ) {}

  async ensureUser(ctx: ActionContext, input: BootstrapInput): Promise<BootstrapResult> {
    const { accounts, organizations, legacyTokens } = this.services;
    const username = normalizeEmail(input.username || DEFAULT_USERNAME);
    const messages: string[] = [];
    const tokenOk = input.userToken.length >= USER_TOKEN_MIN_LENGTH;
    if (input.userToken && !tokenOk) {
      messages.push(`Token ${input.userToken} is not applied to user ${username} because it's empty or len(token) < ${USER_TOKEN_MIN_LENGTH}`);
    }

    const existing = await accounts.findByEmail(username);
    if (existing) {
      messages.push(`User ${username} already exists`);
      if (input.password && !(await accounts.isCurrentPassword(existing.id, input.password))) {
        await accounts.setPassword(ctx, existing.id, input.password, { checkRules: false });
        messages.push(`User ${username} password changed`);
      }
      if (tokenOk && (await legacyTokens.reveal(ctx, existing.id)) !== input.userToken) {
        await this.deps.uow.run(ctx, async (tx) => {
          await legacyTokens.issue(tx, existing.id, input.userToken);
          await tx.record({ action: 'token.legacy_reset', target: { type: 'user', id: existing.id }, organizationId: existing.active_organization_id });
        });
        messages.push(`User ${username} token updated`);
      }
      return { user: await accounts.getById(existing.id), messages };
    }

    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const created = await this.deps.uow.run(ctx, async (tx) => {
      const user = await accounts.create(tx, {
        email: username,
        passwordHash,
        isStaff: true,
        isSuperuser: true,
        legacyToken: tokenOk ? input.userToken : undefined,
      });
      const first = await tx.repos.organizations.findFirst();
      const organizationId = first ? first.id : (await organizations.create(tx, DEFAULT_ORGANIZATION_TITLE, user.id)).id;
      if (first) await organizations.addMember(tx, first.id, user.id, 'AD');
      else await tx.record({ action: 'organization.created', organizationId, target: { type: 'organization', id: organizationId } });
      await tx.record({ action: 'user.created', organizationId, target: { type: 'user', id: user.id }, details: { email: user.email, role: first ? 'AD' : 'OW' } });
      return user;
    });
    messages.push(`User ${username} created`);
    return { user: await accounts.getById(created.id), messages };
  }
}
