import { Command, Option } from 'commander';
import { addAuditCommands, addUsersCommands } from '#src/cli/admin-commands.js';
import { run } from '#src/cli/command-runner.js';
import type { ImportCommandOptions } from '#src/cli/commands/import-label-studio.command.js';
import type { CliOptions } from '#src/config.js';
import { AppError } from '#src/errors.js';

/** Label Studio spells some options with one dash and two letters (`-db`); commander wants long forms. */
function normaliseArgv(argv: string[]): string[] {
  return argv.map((arg) => (arg === '-db' ? '--database' : arg.startsWith('-db=') ? `--database=${arg.slice(4)}` : arg));
}

/** Label Studio's root options: accepted before or after any command. */
function addRootOptions(program: Command): Command {
  return program
    .option('--data-dir <dir>', 'data directory (env LABEL_STUDIO_BASE_DATA_DIR)')
    .option('--database <file>', 'SQLite database file, also -db (default: <data dir>/label_studio_accounts.sqlite3)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['DEBUG', 'INFO', 'WARNING', 'ERROR']))
    .option('--username <email>', 'user e-mail (env LABEL_STUDIO_USERNAME)')
    .option('--password <password>', 'user password (env LABEL_STUDIO_PASSWORD)')
    .option('--user-token <token>', 'legacy API token for the start-up user, at least 6 characters (env LABEL_STUDIO_USER_TOKEN)')
    .option('--enable-legacy-api-token', 'allow legacy API tokens in the organization created at start-up')
    .option('-p, --port <port>', 'port to listen on (env LABEL_STUDIO_PORT, default 8080)')
    .option('--host <url>', 'public base URL, e.g. http://ls.example.com/ (env LABEL_STUDIO_HOST)')
    .option('--internal-host <address>', 'address to bind (default 0.0.0.0)')
    .option('-b, --no-browser', 'do not open a browser at start');
}

function buildProgram(): Command {
  const program = addRootOptions(new Command('label-studio'))
    .description('Label Studio accounts: users, organizations and access for Label Studio')
    .option('--version', 'print the version and exit')
    .showHelpAfterError();

  program
    .command('start', { isDefault: true })
    .description('start the server (the default command)')
    .argument('[project_name]', 'accepted for compatibility; projects live in the database')
    .option('--init', 'create the start-up user first, as init does')
    .option('--email-host <host>', 'SMTP server that sends the mail (env EMAIL_HOST); without one, no mail is sent')
    .option('--email-port <port>', 'SMTP port (env EMAIL_PORT; default 25, 587 with --email-use-tls, 465 with --email-use-ssl)')
    .option('--email-host-user <user>', 'SMTP user name (env EMAIL_HOST_USER; the password only from EMAIL_HOST_PASSWORD)')
    .option('--email-use-tls', 'require STARTTLS (env EMAIL_USE_TLS)')
    .option('--email-use-ssl', 'implicit TLS from the first byte (env EMAIL_USE_SSL)')
    .option('--email-timeout <seconds>', 'SMTP connection and command timeout (env EMAIL_TIMEOUT, default 30)')
    .option('--from-email <address>', 'sender of every message (env FROM_EMAIL)')
    .action(run<{ init?: boolean }>(async (o) => (await import('#src/cli/commands/start.command.js')).startCommand(o)));

  program
    .command('init')
    .description('initialise the database and the start-up user')
    .argument('[project_name]', 'project name, shown in the next-step hint')
    .option('-q, --quiet', 'never prompt')
    .action(run<{ quiet?: boolean }>(async (o, [name]) => (await import('#src/cli/commands/init.command.js')).initCommand(name, o)));

  program
    .command('user')
    .description('show a user\'s info with the API token (--username <email>)')
    .option('--json', 'print one JSON object')
    .action(run<{ json?: boolean }>(async (o) => (await import('#src/cli/commands/user.command.js')).userCommand(o)));

  program
    .command('reset_password')
    .description('set a user\'s password (prompts for what --username/--password do not give)')
    .action(run(async (o) => (await import('#src/cli/commands/reset-password.command.js')).resetPasswordCommand(o)));

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--json', 'print the applied migrations as JSON')
    .action(run<{ json?: boolean }>(async (o) => (await import('#src/cli/commands/migrate.command.js')).migrateCommand(o)));

  program
    .command('import-label-studio')
    .description('import a Label Studio database: users with their passwords, tokens, organizations, members, projects')
    .option('--from <source>', 'Label Studio database: a SQLite file, sqlite:///path or postgres://… (default: Label Studio\'s data directory)')
    .option('--from-env', 'read the source from Label Studio\'s variables (DJANGO_DB, POSTGRE_*, DATABASE_NAME, BASE_DATA_DIR)')
    .option('--media-dir <dir>', 'Label Studio\'s media folder, for avatars (default: media beside the database)')
    .option('--secret-key <key>', 'Label Studio\'s SECRET_KEY: personal access tokens keep working (default: from its .env)')
    .option('--secret-key-file <file>', 'a file holding Label Studio\'s SECRET_KEY (or its .env)')
    .option('--dry-run', 'read everything and report what would be done; write nothing')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--on-conflict <policy>', 'an e-mail already here: skip the Label Studio user, merge it into the account, or fail').choices(['skip', 'merge', 'fail']).default('fail'))
    .option('--default-role <role>', 'role of imported members (the creator is the owner; Enterprise roles are kept)', 'AN')
    .action(run<Omit<ImportCommandOptions, keyof CliOptions>>(async (o) => (await import('#src/cli/commands/import-label-studio.command.js')).importLabelStudioCommand(o)));

  program
    .command('version')
    .description('print the version')
    .action(run(async () => (await import('#src/cli/commands/version.command.js')).versionCommand()));

  addUsersCommands(program);
  addAuditCommands(program);
  return program;
}

/** Entry point of the `label-studio` binary. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const args = normaliseArgv(argv);
  if (args.slice(2).includes('--version')) {
    process.exitCode = (await import('#src/cli/commands/version.command.js')).versionCommand();
    return;
  }
  try {
    await buildProgram().parseAsync(args);
  } catch (error) {
    // Loaded only on failure: the formatter reaches into the policies, which a successful `user` never needs.
    const { describeError } = await import('#src/cli/cli-errors.js');
    process.stderr.write(describeError(error));
    process.exitCode = error instanceof AppError && error.code === 'config.invalid' ? 2 : 1;
  }
}
