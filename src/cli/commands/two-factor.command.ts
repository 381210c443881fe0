import { withContext } from '#src/cli/cli-context.js';
import type { ParsedOptions } from '#src/cli/command-runner.js';
import { printJson } from '#src/cli/json-output.js';
import type { CliOptions } from '#src/config.js';
import { AppError } from '#src/errors.js';
import { cliContext } from '#src/policies/action-context.js';

type Options = ParsedOptions<{ json?: boolean }> & CliOptions;

/**
 * `users reset-2fa EMAIL`: removes the user's authenticator and recovery codes, the way back in for someone locked
 * out (the owner included, whom no administrator may reset). Logged as the CLI's.
 */
export function usersResetTwoFactorCommand(options: Options, args: string[]): Promise<number> {
  const email = args[0] ?? options.username;
  if (email === undefined || email.trim() === '') throw new AppError('request.invalid', 'Give the e-mail: label-studio users reset-2fa <email>.');
  return withContext(options, async (ctx) => {
    const user = await ctx.services.operator.resetTwoFactor(cliContext('users reset-2fa'), email);
    if (options.json) printJson({ id: user.id, email: user.email, two_factor: false });
    else process.stdout.write(`Two-factor sign-in is off for ${user.email}: they log in with their password (and set it up again where their organization requires it).\n`);
    return 0;
  });
}
