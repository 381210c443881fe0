import { resolveConfig, type AppConfig } from '#src/config.js';
import { createContext, type AppContext, type ContextOptions } from '#src/context.js';
import { freshDatabaseUrl, tempDir, type DatabaseKind } from './databases.js';

export interface TestContext extends AppContext {
  dataDir: string;
  /** Queries run since the last reset, for query-count assertions. */
  queries: string[];
  /** The same statements with their parameters (for EXPLAIN and bind-parameter assertions); set by buildTestContext. */
  statements?: Array<{ sql: string; parameters: readonly unknown[] }>;
}

/** Configuration overrides by group, e.g. `{ security: { disableSignupWithoutLink: true } }`. */
export type ConfigOverrides = { [G in keyof AppConfig]?: AppConfig[G] extends object ? Partial<AppConfig[G]> : AppConfig[G] };

/** Merges overrides into a configuration, group by group. */
export function withOverrides(config: AppConfig, overrides: ConfigOverrides): AppConfig {
  const merged: Record<string, unknown> = { ...config };
  for (const [group, value] of Object.entries(overrides)) {
    const base = (config as unknown as Record<string, unknown>)[group];
    merged[group] = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(base as object), ...value } : value;
  }
  return merged as unknown as AppConfig;
}

/**
 * A real context over a fresh database of the given kind, in its own data directory. Legacy tokens are on in the
 * organizations it creates (most tests authenticate with `Token`), unless the overrides say otherwise.
 */
export async function buildTestContext(kind: DatabaseKind, overrides: ConfigOverrides = {}, options: ContextOptions = {}): Promise<TestContext> {
  const dataDir = tempDir();
  const base = resolveConfig({ dataDir }, {});
  const config = withOverrides(
    { ...base, database: { ...base.database, url: await freshDatabaseUrl(kind, dataDir) }, security: { ...base.security, enableLegacyApiToken: true } },
    overrides,
  );
  const queries: string[] = [];
  const statements: TestContext['statements'] = [];
  const onQuery = (sql: string, parameters: readonly unknown[]): void => {
    queries.push(sql);
    statements.push({ sql, parameters });
  };
  const ctx = await createContext(config, { ...options, onQuery });
  return Object.assign(ctx, { dataDir, queries, statements });
}
