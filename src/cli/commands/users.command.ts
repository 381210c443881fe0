import { withContext } from '#src/cli/cli-context.js';
import type { ParsedOptions } from '#src/cli/command-runner.js';
import { confirm } from '#src/cli/confirm.js';
import { printJson } from '#src/cli/json-output.js';
import { presentMember, presentMemberTable } from '#src/cli/member.presenter.js';
import { Prompter } from '#src/cli/prompt.js';
import type { CliOptions } from '#src/config.js';
import { AppError } from '#src/errors.js';
import { cliContext } from '#src/policies/action-context.js';
import { describeOrganization, type RoleChange } from '#src/services/operator.service.js';

/** Options every `users` subcommand may take. */
export interface UsersOptions {
  organization?: number;
  json?: boolean;
  role?: string;
  search?: string;
  yes?: boolean;
  to?: string;
  firstName?: string;
  lastName?: string;
  address?: string;
}

type Options = ParsedOptions<UsersOptions> & CliOptions;

/** The option a subcommand cannot do without (commander cannot require a root option per subcommand). */
function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new AppError('request.invalid', `${option} is required.`);
  return value;
}

/** `users list`: live members as a table, or a JSON array. */
export function usersListCommand(options: Options): Promise<number> {
  return withContext(options, async (ctx) => {
    const roles = options.role?.split(',').map((role) => role.trim()).filter(Boolean);
    const { organization, members } = await ctx.services.operator.listMembers(options.organization, { roles, search: options.search });
    const shown = members.map(({ user, membership }) => presentMember(user, membership));
    if (options.json) printJson(shown);
    else if (shown.length === 0) process.stdout.write(`No members of ${describeOrganization(organization)} match.\n`);
    else process.stdout.write(presentMemberTable(shown));
    return 0;
  });
}

/**
 * The new user's password: `--password`, else asked (hidden, twice) at a terminal, else none. Empty means none, and
 * the account cannot log in until one is set.
 */
async function newPassword(options: Options, email: string): Promise<string> {
  if (options.password !== undefined) return options.password;
  if (!process.stdin.isTTY) return '';
  const prompter = new Prompter(process.stdin, process.stderr);
  const password = await prompter.askHidden(`Password for ${email} (Enter for none): `);
  if (password === '') return '';
  if ((await prompter.askHidden('Password again: ')) !== password) throw new AppError('request.invalid', 'The passwords do not match: nothing was created.');
  return password;
}

/** `users create --username EMAIL`: an account in the organization, checked before a password is asked for. */
export function usersCreateCommand(options: Options): Promise<number> {
  const email = required(options.username, '--username <email>');
  return withContext(options, async (ctx) => {
    const { operator } = ctx.services;
    const checked = await operator.checkNewUser(options.organization, { email, role: options.role });
    const password = await newPassword(options, checked.email);
    const { organization, user, membership } = await operator.createUser(cliContext('users create'), checked.organization.id, {
      email: checked.email,
      password,
      role: checked.role,
      firstName: options.firstName,
      lastName: options.lastName,
    });
    const noPassword = `${user.email} has no password and cannot log in until one is set: label-studio reset_password --username ${user.email}\n`;
    if (options.json) {
      printJson({ ...presentMember(user, membership), can_log_in: password !== '' });
      // Said on stderr too: a script reading only the JSON should still leave a trace a person sees.
      if (!password) process.stderr.write(noPassword);
      return 0;
    }
    process.stdout.write(`Created ${user.email} (id ${user.id}) in ${describeOrganization(organization)} as ${membership.role}.\n`);
    if (!password) process.stdout.write(noPassword);
    return 0;
  });
}

/** Prints a role change: what it was and is, or that nothing changed. */
function reportRoleChange(change: RoleChange, options: Options, done: string): number {
  const { user, membership, organization, previousRole } = change;
  const changed = previousRole !== membership.role;
  if (options.json) printJson({ ...presentMember(user, membership), previous_role: previousRole, changed });
  else if (!changed) process.stdout.write(`${user.email} is already ${membership.role} in ${describeOrganization(organization)}: nothing changed.\n`);
  else process.stdout.write(`${done} ${user.email} in ${describeOrganization(organization)}: ${previousRole} -> ${membership.role}.\n`);
  return 0;
}

/** `users set-role --username EMAIL --role CODE`. */
export function usersSetRoleCommand(options: Options): Promise<number> {
  const email = required(options.username, '--username <email>');
  const role = required(options.role, '--role <code>');
  return withContext(options, async (ctx) =>
    reportRoleChange(await ctx.services.operator.setRole(cliContext('users set-role'), options.organization, email, role), options, 'Changed the role of'),
  );
}

/** `users deactivate --username EMAIL`: their sessions and tokens are refused from their next request. */
export function usersDeactivateCommand(options: Options): Promise<number> {
  const email = required(options.username, '--username <email>');
  return withContext(options, async (ctx) =>
    reportRoleChange(await ctx.services.operator.deactivate(cliContext('users deactivate'), options.organization, email), options, 'Deactivated'),
  );
}

/** `users activate --username EMAIL [--role CODE]`: the role told, else the one they had before deactivation, else Annotator. */
export function usersActivateCommand(options: Options): Promise<number> {
  const email = required(options.username, '--username <email>');
  return withContext(options, async (ctx) => {
    const change = await ctx.services.operator.activate(cliContext('users activate'), options.organization, email, options.role);
    // Activation never changes an active member's role; say so rather than "already AN" when they are MA.
    if (!options.json && change.previousRole === change.membership.role) {
      process.stdout.write(`${change.user.email} is already active (${change.membership.role}) in ${describeOrganization(change.organization)}: nothing changed.\n`);
      return 0;
    }
    return reportRoleChange(change, options, 'Activated');
  });
}

/** `users delete --username EMAIL [--yes]`: checked first, then confirmed, then done. */
export function usersDeleteCommand(options: Options): Promise<number> {
  const email = required(options.username, '--username <email>');
  return withContext(options, async (ctx) => {
    const { operator } = ctx.services;
    const target = await operator.deletionTarget(options.organization, email);
    const shown = target.user.email;
    if (!(await confirm(`Delete ${shown} for good? Their work stays as Deleted User.`, { yes: options.yes, what: `deleting ${shown}` }))) {
      process.stderr.write(`Not deleted: ${shown} stays.\n`);
      return 1;
    }
    const deleted = await operator.deleteUser(cliContext('users delete'), options.organization, email);
    if (options.json) printJson({ id: deleted.user.id, email: deleted.user.email, organization: deleted.organization.id, deleted: true });
    else process.stdout.write(`Deleted ${deleted.user.email} (id ${deleted.user.id}): their work stays as Deleted User.\n`);
    return 0;
  });
}

/** `users transfer-ownership --to EMAIL [--yes]`: the owner until now becomes an administrator. */
export function usersTransferOwnershipCommand(options: Options): Promise<number> {
  const email = required(options.to, '--to <email>');
  return withContext(options, async (ctx) => {
    const { operator } = ctx.services;
    const plan = await operator.ownershipTransfer(options.organization, email);
    const question = `Make ${plan.owner.user.email} the owner of ${describeOrganization(plan.organization)}? ${plan.previousOwner.user.email} becomes an administrator.`;
    if (!(await confirm(question, { yes: options.yes, what: `transferring ownership to ${plan.owner.user.email}` }))) {
      process.stderr.write(`Ownership not transferred: ${plan.previousOwner.user.email} still owns it.\n`);
      return 1;
    }
    const done = await operator.transferOwnership(cliContext('users transfer-ownership'), options.organization, email);
    if (options.json) {
      printJson({
        organization: done.organization.id,
        owner: presentMember(done.owner.user, done.owner.membership),
        previous_owner: presentMember(done.previousOwner.user, done.previousOwner.membership),
      });
    } else {
      process.stdout.write(`${done.owner.user.email} now owns ${describeOrganization(done.organization)}; ${done.previousOwner.user.email} is an administrator.\n`);
    }
    return 0;
  });
}

/** `users unlock EMAIL` (or `--username EMAIL`, or `--address IP`): password logins are accepted again. */
export function usersUnlockCommand(options: Options, args: string[]): Promise<number> {
  const email = args[0] ?? options.username;
  if (email !== undefined && options.address !== undefined) throw new AppError('request.invalid', 'Give an e-mail or --address, not both.');
  if (options.address === undefined) required(email, '<email> (or --address <ip>)');
  return withContext(options, async (ctx) => {
    const { loginThrottle } = ctx.services;
    const context = cliContext('users unlock');
    const what = options.address === undefined ? (email ?? '') : `address ${options.address}`;
    const outcome = options.address === undefined ? await loginThrottle.unlock(context, what) : { ...(await loginThrottle.unlockAddress(context, options.address)), account: true };
    if (options.json) {
      printJson({ ...(options.address === undefined ? { email: what.trim().toLowerCase(), account: outcome.account } : { address: options.address }), was_locked: outcome.wasLocked, failed_logins_forgotten: outcome.failures });
      return 0;
    }
    const forgotten = outcome.failures > 0 ? ` (${outcome.failures} failed login${outcome.failures === 1 ? '' : 's'} forgotten)` : '';
    if (outcome.wasLocked) process.stdout.write(`Unlocked ${what}: password logins are accepted again${forgotten}.\n`);
    else process.stdout.write(`${what} was not locked out${forgotten}.\n`);
    if (!outcome.account) process.stdout.write(`No account has the e-mail ${what}; its login counters are cleared all the same.\n`);
    return 0;
  });
}
