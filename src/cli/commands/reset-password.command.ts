import type { CliOptions } from '#src/config.js';
import { withContext } from '#src/cli/cli-context.js';
import { Prompter } from '#src/cli/prompt.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_LENGTH_MESSAGE } from '#src/services/password.service.js';

/** `label-studio reset_password`: Label Studio's messages, but non-zero on failure and sessions ended. */
export async function resetPasswordCommand(options: CliOptions): Promise<number> {
  const prompter = new Prompter();
  return withContext(options, async (ctx) => {
    const username = options.username ?? (await prompter.ask('Username: ')).trim();
    const user = username ? await ctx.services.users.findByEmail(username) : undefined;
    if (!user) {
      process.stdout.write(`User with username ${username} not found\n`);
      return 1;
    }
    const password = options.password ?? (await prompter.askHidden('New password:'));
    if (!password) {
      process.stdout.write('Can not set empty password\n');
      return 1;
    }
    if (password.length > PASSWORD_MAX_LENGTH) {
      process.stdout.write(`${PASSWORD_LENGTH_MESSAGE}\n`);
      return 1;
    }
    if (await ctx.services.users.isCurrentPassword(user, password)) {
      process.stdout.write('Entered password is the same as current\n');
      return 1;
    }
    const ended = await ctx.services.users.setPassword(user.id, password);
    process.stdout.write('Password successfully changed\n');
    if (ended > 0) process.stdout.write(`Signed out ${ended} web session${ended === 1 ? '' : 's'} of ${user.email}\n`);
    return 0;
  });
}
