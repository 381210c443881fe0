import type { AppContext } from '#src/context.js';
import { Prompter } from '#src/cli/prompt.js';
import { cliContext } from '#src/policies/action-context.js';
import { DEFAULT_USERNAME } from '#src/services/bootstrap.service.js';

/**
 * The start-up user of `init` and `start` (spec §1.5): asks for what is missing (unless quiet), then lets the
 * bootstrap service create or update the user, and prints what happened.
 */
export async function bootstrapUser(ctx: AppContext, quiet: boolean, command: string): Promise<void> {
  const prompter = new Prompter();
  const { accounts, bootstrap } = ctx.services;
  let { username, password } = ctx.config.bootstrap;
  if (!username) {
    if (await accounts.findByEmail(DEFAULT_USERNAME)) username = DEFAULT_USERNAME;
    else if (quiet) return;
    else {
      process.stdout.write(`Please enter default user email, or press Enter to use ${DEFAULT_USERNAME}\n`);
      username = (await prompter.ask('Email: ')).trim() || DEFAULT_USERNAME;
    }
  }
  const exists = (await accounts.findByEmail(username)) !== undefined;
  if (!password && !exists && !quiet) password = await prompter.askHidden(`User password for ${username}: `);
  const result = await bootstrap.ensureUser(cliContext(command), { username, password, userToken: ctx.config.bootstrap.userToken });
  for (const line of result.messages) process.stdout.write(`${line}\n`);
  if (!password && !exists) {
    process.stdout.write(`User ${result.user.email} has no password yet: set one with "label-studio reset_password".\n`);
  }
}
