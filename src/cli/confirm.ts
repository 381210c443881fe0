import { AppError } from '#src/errors.js';
import { Prompter } from '#src/cli/prompt.js';

/**
 * Asks a yes/no question before a destructive change. `--yes` answers it; otherwise only a person at a terminal can,
 * so without one the command is refused (a script must say --yes, never get a default). Questions go to stderr so
 * stdout stays the command's result (`--json`).
 */
export async function confirm(question: string, options: { yes?: boolean; what: string }): Promise<boolean> {
  if (options.yes) return true;
  if (!process.stdin.isTTY) {
    throw new AppError('request.invalid', `Not ${options.what} without confirmation: no terminal to ask in. Pass --yes to confirm.`);
  }
  const answer = await new Prompter(process.stdin, process.stderr).ask(`${question} [y/N] `);
  return /^y(es)?$/i.test(answer.trim());
}
