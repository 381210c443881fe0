import { InvalidArgumentError, Option, type Command } from 'commander';
import { run } from '#src/cli/command-runner.js';
import type { AuditOptions } from '#src/cli/commands/audit.command.js';
import type { UsersOptions } from '#src/cli/commands/users.command.js';

/** A whole number from 1 up to PostgreSQL's integer range: ids and day counts. */
function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!/^\d{1,10}$/.test(raw) || value < 1 || value > 2_147_483_647) throw new InvalidArgumentError('Give a whole number, at least 1.');
  return value;
}

// Each command's module loads only when it runs, so `label-studio user` loads no more code than before.
const users = () => import('#src/cli/commands/users.command.js');
const audit = () => import('#src/cli/commands/audit.command.js');
const twoFactor = () => import('#src/cli/commands/two-factor.command.js');

function organizationOption(command: Command): Command {
  return command.option('--organization <id>', 'organization id (default: the first organization)', positiveInteger);
}

function jsonOption(command: Command): Command {
  return command.option('--json', 'print one JSON value instead of text');
}

/** `label-studio users …`: the operator manages an organization's users from the shell; every change is logged as CLI. */
export function addUsersCommands(program: Command): void {
  const group = program.command('users').description("manage an organization's users (every change is in the activity log as CLI)");

  jsonOption(organizationOption(group.command('list').description('list the live members: id, e-mail, name, role, last activity')))
    .option('--role <codes>', 'only these roles, comma-separated (OW, AD, MA, RE, AN, NO, DI)')
    .option('--search <text>', 'only members whose name, e-mail or username contains this')
    .action(run<UsersOptions>(async (o) => (await users()).usersListCommand(o)));

  jsonOption(organizationOption(group.command('create').description('create a user who joins the organization')))
    .usage('--username <email> [--password <password>] [--role AN] [options]')
    .option('--role <code>', 'their role: AD, MA, RE, AN (default) or NO (pending)')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .addHelpText('after', '\nWithout --password, a terminal asks for one (hidden); with none, the account cannot log in until one is set.\n')
    .action(run<UsersOptions>(async (o) => (await users()).usersCreateCommand(o)));

  jsonOption(organizationOption(group.command('set-role').description("change a member's role (ownership moves only with transfer-ownership)")))
    .usage('--username <email> --role <code> [options]')
    .option('--role <code>', 'AD, MA, RE, AN, NO (pending) or DI (deactivated)')
    .action(run<UsersOptions>(async (o) => (await users()).usersSetRoleCommand(o)));

  jsonOption(organizationOption(group.command('deactivate').description("deactivate a member: their sessions and tokens stop working (never the owner)")))
    .usage('--username <email> [options]')
    .action(run<UsersOptions>(async (o) => (await users()).usersDeactivateCommand(o)));

  jsonOption(organizationOption(group.command('activate').description('give a deactivated or pending member an active role')))
    .usage('--username <email> [--role AN] [options]')
    .option('--role <code>', 'AD, MA, RE or AN (default: the role they had before deactivation, else AN)')
    .action(run<UsersOptions>(async (o) => (await users()).usersActivateCommand(o)));

  jsonOption(organizationOption(group.command('delete').description('delete an account for good; their work stays as Deleted User')))
    .usage('--username <email> [--yes] [options]')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(run<UsersOptions>(async (o) => (await users()).usersDeleteCommand(o)));

  jsonOption(group.command('unlock').description('lift a login lockout: of an account (by e-mail), or of a client address'))
    .argument('[email]', 'the account to unlock (or --username)')
    .usage('<email> | --username <email> | --address <ip> [--json]')
    .option('--address <ip>', 'unlock a client address instead (after too many failed logins from it)')
    .action(run<UsersOptions>(async (o, args) => (await users()).usersUnlockCommand(o, args)));

  jsonOption(organizationOption(group.command('transfer-ownership').description('make a member the owner; the owner until now becomes an administrator')))
    .usage('--to <email> [--yes] [options]')
    .option('--to <email>', 'the member who becomes the owner')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(run<UsersOptions>(async (o) => (await users()).usersTransferOwnershipCommand(o)));

  jsonOption(group.command('reset-2fa').description("turn a user's two-factor sign-in off (lost phone and recovery codes; the owner too)"))
    .argument('[email]', 'the user (or --username <email>)')
    .action(run<UsersOptions>(async (o, args) => (await twoFactor()).usersResetTwoFactorCommand(o, args)));
}

/** `label-studio audit …`: the activity log, exported or purged. */
export function addAuditCommands(program: Command): void {
  const group = program.command('audit').description('export or purge the activity log');

  organizationOption(group.command('export').description("stream an organization's activity log, newest first, to stdout or a file"))
    .addOption(new Option('--format <format>', 'jsonl: one JSON object per line; csv: a header and one row per entry').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--since <instant>', 'entries from this instant on (ISO 8601: 2026-01-31 or 2026-01-31T12:00:00Z)')
    .option('--until <instant>', 'entries up to this instant (a bare date means that whole day)')
    .option('--action <actions>', 'only these actions, comma-separated (e.g. member.role_changed,user.deleted)')
    .option('--output <file>', 'write to this file (created 0600) instead of stdout')
    .action(run<AuditOptions>(async (o) => (await audit()).auditExportCommand(o)));

  jsonOption(group.command('purge').description('delete entries older than N days, in every organization'))
    .option('--days <n>', 'keep the last N days (default: LABEL_STUDIO_ACTIVITY_LOG_RETENTION_DAYS)', positiveInteger)
    .action(run<AuditOptions>(async (o) => (await audit()).auditPurgeCommand(o)));
}
