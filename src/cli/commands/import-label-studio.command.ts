import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveSource, type SourceFlags } from '#src/adapters/label-studio-location.js';
import { openLabelStudioSource, type SourceLocation } from '#src/adapters/label-studio-source.adapter.js';
import { BarProgress, LineProgress } from '#src/cli/import-progress.js';
import { summaryText } from '#src/cli/import-summary.js';
import { resolveConfig, type AppConfig, type CliOptions } from '#src/config.js';
import { createContext } from '#src/context.js';
import { AppError } from '#src/errors.js';
import { cliContext } from '#src/policies/action-context.js';
import { LabelStudioImportService, type ConflictPolicy } from '#src/services/label-studio-import.service.js';
import { INVITE_ROLES } from '#src/services/organization.service.js';
import type { RoleCode } from '#src/storage/schema.js';

export interface ImportCommandOptions extends CliOptions, SourceFlags {
  dryRun?: boolean;
  json?: boolean;
  onConflict?: string;
  defaultRole?: string;
}

const POLICIES: readonly ConflictPolicy[] = ['skip', 'merge', 'fail'];

/** Label Studio's variables, which `--from-env` reads as the source's; this product would read some as its own database. */
const LABEL_STUDIO_VARIABLES = /^(LABEL_STUDIO_)?(DJANGO_DB|DATABASE_NAME|BASE_DATA_DIR|POSTGRE_[A-Z]+)$/;

/** The target's configuration; with `--from-env` Label Studio's variables describe the source only. */
function targetConfig(options: ImportCommandOptions): AppConfig {
  const env = options.fromEnv ? Object.fromEntries(Object.entries(process.env).filter(([key]) => !LABEL_STUDIO_VARIABLES.test(key))) : process.env;
  const config = resolveConfig(options, env);
  const file = config.database.url.startsWith('sqlite:') ? config.database.url.slice('sqlite:'.length) : undefined;
  if (!options.dryRun || file === undefined || existsSync(file)) return config;
  // A dry run creates nothing: with no database yet, it runs against an empty one in memory, under a throwaway secret.
  return { ...config, database: { ...config.database, url: 'sqlite::memory:' }, security: { ...config.security, secretKey: randomBytes(32).toString('hex') } };
}

/** host:port/name of a PostgreSQL URL, or the real path of a SQLite file: what tells two databases apart. */
function identity(location: SourceLocation): string {
  if (location.kind === 'sqlite') return `sqlite:${existsSync(location.file) ? realpathSync(location.file) : resolve(location.file)}`;
  const url = new URL(location.url);
  return `postgres:${url.searchParams.get('host') ?? url.hostname}:${url.port || '5432'}${url.pathname}`;
}

function targetLocation(config: AppConfig): SourceLocation {
  const url = config.database.url;
  return url.startsWith('sqlite:') ? { kind: 'sqlite', file: url.slice('sqlite:'.length) } : { kind: 'postgres', url };
}

function parsePolicy(value: string | undefined): ConflictPolicy {
  const policy = (value ?? 'fail').toLowerCase();
  if (!(POLICIES as readonly string[]).includes(policy)) throw new AppError('config.invalid', `--on-conflict must be skip, merge or fail (got "${value}")`);
  return policy as ConflictPolicy;
}

function parseRole(value: string | undefined): RoleCode {
  const role = (value ?? 'AN').toUpperCase();
  if (!(INVITE_ROLES as readonly string[]).includes(role)) throw new AppError('config.invalid', `--default-role must be one of ${INVITE_ROLES.join(', ')} (got "${value}")`);
  return role as RoleCode;
}

/** `label-studio import-label-studio`: moves a Label Studio database in, keeping every password and token. */
export async function importLabelStudioCommand(options: ImportCommandOptions): Promise<number> {
  const onConflict = parsePolicy(options.onConflict);
  const defaultRole = parseRole(options.defaultRole);
  const resolved = resolveSource(options);
  const config = targetConfig(options);
  if (config.database.url !== 'sqlite::memory:' && identity(resolved.location) === identity(targetLocation(config))) {
    throw new AppError('config.invalid', 'The Label Studio database and the target are the same database: give the target with --database or DATABASE_URL.');
  }
  const source = await openLabelStudioSource(resolved.location);
  const terminal = process.stderr.isTTY === true && !options.json;
  const bars = terminal ? await BarProgress.create(process.stderr) : undefined;
  try {
    const ctx = await createContext(config, { onMigrated: () => process.stderr.write('Initializing database..\n') });
    try {
      const report = await new LabelStudioImportService(ctx.deps).run(cliContext('import-label-studio'), {
        source,
        mediaDir: resolved.mediaDir,
        secretKey: resolved.secretKey,
        secretKeyFrom: resolved.secretKeyFrom,
        onConflict,
        defaultRole,
        dryRun: options.dryRun === true,
        progress: bars ?? new LineProgress((text) => process.stderr.write(text)),
      });
      bars?.stop();
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : summaryText(report));
      return report.outcome === 'refused' ? 3 : 0;
    } finally {
      await ctx.close();
    }
  } finally {
    bars?.stop();
    await source.close();
  }
}
