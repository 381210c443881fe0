import { resolveConfig, type AppConfig } from '#src/config.js';
import { createContext, type AppContext, type ContextOptions } from '#src/context.js';
import { freshDatabaseUrl, tempDir, type DatabaseKind } from './databases.js';

export interface TestContext extends AppContext {
  dataDir: string;
  /** Queries run since the last reset, for query-count assertions. */
  queries: string[];
}

/** A real context over a fresh database of the given kind, in its own data directory. */
export async function buildTestContext(
  kind: DatabaseKind,
  overrides: Partial<AppConfig> = {},
  options: ContextOptions = {},
): Promise<TestContext> {
  const dataDir = tempDir();
  const databaseUrl = await freshDatabaseUrl(kind, dataDir);
  const config = { ...resolveConfig({ dataDir }, {}), databaseUrl, ...overrides };
  const queries: string[] = [];
  const ctx = await createContext(config, { ...options, onQuery: (sql) => queries.push(sql) });
  return Object.assign(ctx, { dataDir, queries });
}
