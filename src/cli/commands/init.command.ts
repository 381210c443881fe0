import type { CliOptions } from '#src/config.js';
import { withContext } from '#src/cli/cli-context.js';
import { bootstrapUser } from '#src/cli/bootstrap-user.js';

/** `label-studio init [project_name] [-q]`: creates the database and the start-up user. */
export async function initCommand(projectName: string | undefined, options: CliOptions & { quiet?: boolean }): Promise<number> {
  return withContext(options, async (ctx) => {
    await bootstrapUser(ctx, options.quiet === true, 'init');
    process.stdout.write('\nLabel Studio has been successfully initialized.\n');
    if (projectName) process.stdout.write(`Start the server: label-studio start ${projectName}\n`);
    return 0;
  });
}
