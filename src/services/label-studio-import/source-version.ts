import { AppError } from '#src/errors.js';
import type { SourceShape } from '#src/ports/label-studio-source.port.js';
import { ANNOTATIONS, LEGACY_TOKENS, MEMBERSHIPS, ORGANIZATIONS, PROJECTS, TASKS, USERS } from '#src/services/label-studio-import/source-tables.js';

/**
 * The oldest databases the import reads: those migrated by a Label Studio release of 2022 or later, where every
 * annotation names its project (`tasks.0029_annotation_project`, what the contribution statistics count) and users
 * have an active organization (`users.0003`). Later columns and tables are optional; older databases are refused.
 */
export const MINIMUM_MIGRATIONS: readonly string[] = ['users.0003_user_active_organization', 'tasks.0029_annotation_project'];

const REQUIRED_TABLES = [USERS, LEGACY_TOKENS, ORGANIZATIONS, MEMBERSHIPS, PROJECTS, TASKS, ANNOTATIONS];

export const TOO_OLD_ADVICE =
  'Upgrade that Label Studio (pip install -U label-studio), start it once so it migrates its database, then import again.';

/** Refuses what is not a Label Studio database, or one older than the supported range, saying what is missing. */
export function assertSupported(shape: SourceShape): void {
  if (!shape.tables.has('htx_user') || !shape.tables.has('django_migrations')) {
    throw new AppError('import.source_invalid', `${shape.description} is not a Label Studio database (it has no htx_user or django_migrations table).`);
  }
  const missing: string[] = MINIMUM_MIGRATIONS.filter((name) => !shape.migrations.has(name)).map((name) => `migration ${name}`);
  for (const spec of REQUIRED_TABLES) {
    const columns = shape.tables.get(spec.table);
    if (!columns) {
      missing.push(`table ${spec.table}`);
      continue;
    }
    for (const [name, column] of Object.entries(spec.columns)) {
      if (!column.optional && !columns.has(name)) missing.push(`column ${spec.table}.${name}`);
    }
  }
  if (missing.length > 0) {
    throw new AppError(
      'import.source_too_old',
      `This Label Studio database is older than the supported range (databases migrated by Label Studio releases of 2022 or later). ` +
        `It lacks ${missing.join(', ')}. ${TOO_OLD_ADVICE}`,
    );
  }
}

/**
 * Token settings of an organization without a `jwt_auth_jwtsettings` row: the defaults of the Label Studio version
 * that wrote the database. Before PATs existed (no `jwt_auth` migrations) legacy keys always worked.
 */
export function defaultTokenSettings(shape: SourceShape): { apiTokensEnabled: boolean; legacyApiTokensEnabled: boolean } {
  const applied = [...shape.migrations];
  if (applied.some((name) => name.startsWith('jwt_auth.0002'))) return { apiTokensEnabled: true, legacyApiTokensEnabled: false };
  if (applied.some((name) => name.startsWith('jwt_auth.0001'))) return { apiTokensEnabled: false, legacyApiTokensEnabled: true };
  return { apiTokensEnabled: true, legacyApiTokensEnabled: true };
}
