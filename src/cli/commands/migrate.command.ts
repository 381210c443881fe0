import { resolveConfig, type CliOptions } from '#src/config.js';
import { createDatabase } from '#src/storage/database.js';

/** `label-studio migrate`: applies pending migrations and lists them. */
export async function migrateCommand(options: CliOptions & { json?: boolean }): Promise<number> {
  const config = resolveConfig(options);
  const database = await createDatabase(config.database.url);
  try {
    const applied = await database.migrate();
    if (options.json) process.stdout.write(`${JSON.stringify({ applied })}\n`);
    else if (applied.length === 0) process.stdout.write('No migrations to apply: the database is up to date.\n');
    else for (const name of applied) process.stdout.write(`Applied ${name}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
