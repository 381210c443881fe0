import type { CliOptions } from '#src/config.js';
import { withContext } from '#src/cli/cli-context.js';
import { Prompter } from '#src/cli/prompt.js';
import { AppError } from '#src/errors.js';
import { cliContext } from '#src/policies/action-context.js';

/**
 * `label-studio reset_password`: Label Studio's messages, but non-zero on failure, the one password rule applied,
 * and every web session of the user ended.
 */
export async function resetPasswordCommand(options: CliOptions): Promise<number> {
  const prompter = new Prompter();
  return withContext(options, async (ctx) => {
    const { accounts } = ctx.services;
    const username = options.username ?? (await prompter.ask('Username: ')).trim();
    const user = username ? await accounts.findByEmail(username) : undefined;
    if (!user) {
      process.stdout.write(`User with username ${username} not found\n`);
      return 1;
    }
    const password = options.password ?? (await prompter.askHidden('New password:'));
    if (!password) {
      process.stdout.write('Can not set empty password\n');
      return 1;
    }
    if (await accounts.isCurrentPassword(user.id, password)) {
      process.stdout.write('Entered password is the same as current\n');
      return 1;
    }
    try {
      const ended = await accounts.setPassword(cliContext('reset_password'), user.id, password, { checkRules: true });
      process.stdout.write('Password successfully changed\n');
      if (ended > 0) process.stdout.write(`Signed out ${ended} web session${ended === 1 ? '' : 's'} of ${user.email}\n`);
      return 0;
    } catch (error) {
      const problems = error instanceof AppError ? error.validationErrors?.password : undefined;
      if (!problems) throw error;
      for (const problem of Array.isArray(problems) ? problems : [problems]) process.stdout.write(`${problem}\n`);
      return 1;
    }
  });
}
