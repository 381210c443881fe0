import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig, type AppConfig } from '#src/config.js';
import { createContext, type AppContext } from '#src/context.js';
import { createApp } from '#src/http/app.js';
import type { ImportReport } from '#src/services/label-studio-import.service.js';
import { runCli, type CliResult } from './cli.js';
import { freshDatabaseUrl, tempDir, type DatabaseKind } from './databases.js';
import { HttpClient } from './http-client.js';
import { createLabelStudioDb, type Engine, type LabelStudioDb, type LabelStudioVersion } from './label-studio-db.js';
import { fillFixture, LS_SECRET_KEY, type Fixture } from './label-studio-fixture.js';

/** This product's instance secret in the import tests: the CLI and the servers must agree on it. */
export const INSTANCE_SECRET = 'import-suite-instance-secret-0123456789abcdef';

/** A Label Studio install made for a test: its database, media folder and `.env`. */
export interface LabelStudioSource {
  engine: Engine;
  /** What `--from` takes. */
  from: string;
  /** The SQLite file, for byte comparisons. */
  file: string | undefined;
  dir: string;
  mediaDir: string;
  /** A file holding SECRET_KEY (Label Studio's `.env`). */
  envFile: string;
}

/** An empty Label Studio database of `version` (schema and migrations) and its data directory. */
export async function emptySource(engine: Engine, version: LabelStudioVersion): Promise<{ source: LabelStudioSource; db: LabelStudioDb }> {
  const dir = tempDir('lsa-ls-');
  const file = join(dir, 'label_studio.sqlite3');
  const from = engine === 'sqlite' ? file : await freshDatabaseUrl('postgres', dir);
  const db = await createLabelStudioDb(engine, from, version);
  const envFile = join(dir, '.env');
  // As Label Studio writes it: a newline, then the generated key.
  writeFileSync(envFile, `\nSECRET_KEY=${LS_SECRET_KEY}\n`, { mode: 0o600 });
  return { source: { engine, from, file: engine === 'sqlite' ? file : undefined, dir, mediaDir: join(dir, 'media'), envFile }, db };
}

/** The fixture installation (label-studio-fixture.ts) in a Label Studio database of `version`. */
export async function fixtureSource(engine: Engine, version: LabelStudioVersion = 'current'): Promise<{ source: LabelStudioSource; fixture: Fixture }> {
  const { source, db } = await emptySource(engine, version);
  try {
    return { source, fixture: await fillFixture(db, version, source.mediaDir) };
  } finally {
    await db.close();
  }
}

/** Where the import writes: this product's data directory and database, SQLite or PostgreSQL. */
export interface ImportTarget {
  kind: DatabaseKind;
  dataDir: string;
  url: string;
  env: Record<string, string>;
  /** Flags every command needs to reach this database. */
  common: string[];
}

export async function importTarget(kind: DatabaseKind): Promise<ImportTarget> {
  const dataDir = tempDir('lsa-import-');
  const url = await freshDatabaseUrl(kind, dataDir);
  return {
    kind,
    dataDir,
    url,
    env: { SECRET_KEY: INSTANCE_SECRET, ...(kind === 'postgres' ? { DATABASE_URL: url } : {}) },
    common: ['--data-dir', dataDir, ...(kind === 'sqlite' ? ['--database', url.slice('sqlite:'.length)] : [])],
  };
}

/** The arguments naming the source: SQLite finds its media and `.env` beside it; PostgreSQL is told. */
export function sourceArgs(source: LabelStudioSource): string[] {
  return source.engine === 'sqlite' ? ['--from', source.from] : ['--from', source.from, '--media-dir', source.mediaDir, '--secret-key-file', source.envFile];
}

export interface ImportRun extends CliResult {
  report: ImportReport | undefined;
}

/** Runs the built CLI's import as an operator would, with `--json`; the report parsed when there is one. */
export function runImport(target: ImportTarget, args: string[], env: Record<string, string> = {}): ImportRun {
  const result = runCli(['import-label-studio', ...target.common, '--json', ...args], { ...target.env, ...env });
  let report: ImportReport | undefined;
  try {
    report = JSON.parse(result.stdout) as ImportReport;
  } catch {
    report = undefined;
  }
  return { ...result, report };
}

/** The configuration a server of this target runs with. */
export function targetConfig(target: ImportTarget): AppConfig {
  const base = resolveConfig({ dataDir: target.dataDir }, { SECRET_KEY: INSTANCE_SECRET });
  return { ...base, database: { ...base.database, url: target.url } };
}

export interface RunningServer {
  ctx: AppContext;
  client(): HttpClient;
  close(): Promise<void>;
}

/** The real app over the imported database, on a loopback port. */
export async function serveTarget(target: ImportTarget, config: AppConfig = targetConfig(target)): Promise<RunningServer> {
  const ctx = await createContext(config);
  const app = await createApp(ctx, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ctx,
    client: () => new HttpClient(address),
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

/** The SQLite file's SHA-256 and the files beside it: what "read-only" must leave exactly as it was. */
export function fileState(file: string): { sha256: string; siblings: string[] } {
  const dir = join(file, '..');
  return {
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    siblings: existsSync(dir) ? readdirSync(dir).sort() : [],
  };
}
