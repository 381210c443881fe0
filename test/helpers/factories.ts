import type { AppContext } from '#src/context.js';
import type { RoleCode, UserRow } from '#src/storage/schema.js';

export interface TestUser {
  user: UserRow;
  email: string;
  password: string;
  /** Legacy API token. */
  token: string;
}

let counter = 0;
const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}@example.com`;

/** The organization owner, as `label-studio init` makes it (legacy tokens on unless told otherwise). */
export async function buildOwner(ctx: AppContext, options: { email?: string; password?: string; legacyTokens?: boolean } = {}): Promise<TestUser> {
  const email = options.email ?? uniqueEmail('owner');
  const password = options.password ?? 'owner-password-1';
  const { user } = await ctx.services.bootstrap.ensureUser({
    username: email,
    password,
    userToken: '',
    enableLegacyApiToken: options.legacyTokens ?? true,
  });
  return { user, email: user.email, password, token: await ctx.services.legacyTokens.reveal(user.id) };
}

/** A member of the organization with the given role (default annotator). */
export async function buildMember(
  ctx: AppContext,
  organizationId: number,
  options: { email?: string; password?: string; role?: RoleCode; firstName?: string; lastName?: string } = {},
): Promise<TestUser> {
  const password = options.password ?? 'member-password-1';
  const created = await ctx.services.users.createUser({
    email: options.email ?? uniqueEmail('member'),
    password,
    firstName: options.firstName,
    lastName: options.lastName,
    username: options.email?.split('@')[0],
  });
  await ctx.services.organizations.addMember(organizationId, created.id, options.role ?? 'AN');
  const user = await ctx.services.users.getById(created.id);
  return { user, email: user.email, password, token: await ctx.services.legacyTokens.reveal(user.id) };
}
