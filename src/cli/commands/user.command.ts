import type { CliOptions } from '#src/config.js';
import { withContext } from '#src/cli/cli-context.js';
import { pythonRepr } from '#src/cli/python-repr.js';
import { presentUser } from '#src/http/presenters/user.presenter.js';
import { cliContext } from '#src/policies/action-context.js';
import { DEFAULT_USERNAME } from '#src/services/bootstrap.service.js';

export interface UserCommandOptions extends CliOptions {
  json?: boolean;
}

/** `label-studio user --username <email>`: the user's info and legacy token, last line parseable as Label Studio's. */
export async function userCommand(options: UserCommandOptions): Promise<number> {
  const username = options.username || DEFAULT_USERNAME;
  return withContext(options, async (ctx) => {
    const { accounts, legacyTokens } = ctx.services;
    const user = await accounts.findByEmail(username);
    if (!user) {
      const error = { status: 'error', message: `user ${username} doesn't exist` };
      process.stdout.write(`${options.json ? JSON.stringify(error) : pythonRepr(error)}\n`);
      return 1;
    }
    const meta = await accounts.organizationMeta(user);
    const info = {
      ...presentUser(user, { organizationMeta: meta, host: ctx.config.server.host }),
      token: await legacyTokens.reveal(cliContext('user'), user.id),
      status: 'ok',
    };
    if (options.json) process.stdout.write(`${JSON.stringify(info)}\n`);
    else process.stdout.write(`=> User info:\n${pythonRepr(info)}\n`);
    return 0;
  });
}
