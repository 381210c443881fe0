import { normalizeEmail } from '#src/domain/email.js';
import type { UnitOfWork } from '#src/repositories/index.js';
import type { UserRow } from '#src/storage/schema.js';
import type { LegacyTokenService } from '#src/services/legacy-token.service.js';
import { DEFAULT_ORGANIZATION_TITLE, type OrganizationService } from '#src/services/organization.service.js';
import type { UserService } from '#src/services/user.service.js';

export const DEFAULT_USERNAME = 'default_user@localhost';
/** Label Studio applies a `--user-token` only when it is longer than 5 characters. */
export const USER_TOKEN_MIN_LENGTH = 6;

export interface BootstrapInput {
  username: string;
  /** Empty: keep the current password (existing user) or create the user without a usable one. */
  password: string;
  userToken: string;
  enableLegacyApiToken: boolean;
}

export interface BootstrapResult {
  user: UserRow;
  /** What happened, as lines to show the operator, in Label Studio's words where it has them. */
  messages: string[];
}

/** The start-up user of `init`/`start` (Label Studio's `_create_user`), fixed to update an existing user's password. */
export class BootstrapService {
  constructor(
    private readonly users: UserService,
    private readonly organizations: OrganizationService,
    private readonly legacyTokens: LegacyTokenService,
    private readonly transaction: UnitOfWork,
  ) {}

  async ensureUser(input: BootstrapInput): Promise<BootstrapResult> {
    const username = normalizeEmail(input.username || DEFAULT_USERNAME);
    const messages: string[] = [];
    const tokenOk = input.userToken.length >= USER_TOKEN_MIN_LENGTH;
    if (input.userToken && !tokenOk) {
      messages.push(
        `Token ${input.userToken} is not applied to user ${username} because it's empty or len(token) < ${USER_TOKEN_MIN_LENGTH}`,
      );
    }

    let user = await this.users.findByEmail(username);
    if (user) {
      messages.push(`User ${username} already exists`);
      if (input.password && !(await this.users.isCurrentPassword(user, input.password))) {
        await this.users.setPassword(user.id, input.password);
        messages.push(`User ${username} password changed`);
      }
      if (tokenOk && (await this.legacyTokens.reveal(user.id)) !== input.userToken) {
        await this.legacyTokens.issue(user.id, input.userToken);
        messages.push(`User ${username} token updated`);
      }
    } else {
      user = await this.transaction(async (repos) => {
        const created = await this.users.createUser(
          {
            email: username,
            password: input.password || null,
            isStaff: true,
            isSuperuser: true,
            legacyToken: tokenOk ? input.userToken : undefined,
          },
          repos,
        );
        const first = await repos.organizations.findFirst();
        if (first) await this.organizations.addMember(first.id, created.id, 'AD', repos);
        else await this.organizations.createOrganization(DEFAULT_ORGANIZATION_TITLE, created.id, input.enableLegacyApiToken, repos);
        return created;
      });
      messages.push(`User ${username} created`);
    }
    return { user: await this.users.getById(user.id), messages };
  }
}
