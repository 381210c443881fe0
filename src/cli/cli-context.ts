import { resolveConfig, type CliOptions } from '#src/config.js';
import { createContext, type AppContext } from '#src/context.js';

/** Resolves configuration and opens the database for a command, announcing a first-time initialisation. */
export async function openContext(options: CliOptions): Promise<AppContext> {
  const config = resolveConfig(options);
  return createContext(config, {
    onMigrated: (applied) => {
      // Label Studio prints this (two dots) when it migrates; stderr keeps stdout parseable.
      if (applied.length > 0) process.stderr.write('Initializing database..\n');
    },
  });
}

/** Runs a command body with a context and always closes the database afterwards. */
export async function withContext<T>(options: CliOptions, body: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(options);
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
