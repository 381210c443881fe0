import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '#src/storage/migrations/column-types.js';
import * as accountsCore from '#src/storage/migrations/0001-accounts-core.migration.js';
import * as tokensProjects from '#src/storage/migrations/0002-tokens-projects.migration.js';
import * as portsAndSealedInvites from '#src/storage/migrations/0003-ports-and-sealed-invites.migration.js';
import * as rolesAndActivityLog from '#src/storage/migrations/0004-roles-and-activity-log.migration.js';
import * as labelStudioImport from '#src/storage/migrations/0005-label-studio-import.migration.js';
import * as accountRecoveryMail from '#src/storage/migrations/0006-account-recovery-mail.migration.js';
import * as signInSafety from '#src/storage/migrations/0007-sign-in-safety.migration.js';
import * as twoFactor from '#src/storage/migrations/0008-two-factor.migration.js';
import * as memberDirectoryIndexes from '#src/storage/migrations/0009-member-directory-indexes.migration.js';
import * as roleBeforeDeactivation from '#src/storage/migrations/0010-role-before-deactivation.migration.js';
import * as annotationProjectIndex from '#src/storage/migrations/0011-annotation-project-index.migration.js';

interface MigrationModule {
  up(db: Kysely<unknown>, t: ColumnTypes): Promise<void>;
}

/** The one ordered list of migrations, for both databases. Append only; never edit a landed one. */
const MIGRATIONS: ReadonlyArray<readonly [string, MigrationModule]> = [
  ['0001-accounts-core', accountsCore],
  ['0002-tokens-projects', tokensProjects],
  ['0003-ports-and-sealed-invites', portsAndSealedInvites],
  ['0004-roles-and-activity-log', rolesAndActivityLog],
  ['0005-label-studio-import', labelStudioImport],
  ['0006-account-recovery-mail', accountRecoveryMail],
  ['0007-sign-in-safety', signInSafety],
  ['0008-two-factor', twoFactor],
  ['0009-member-directory-indexes', memberDirectoryIndexes],
  ['0010-role-before-deactivation', roleBeforeDeactivation],
  ['0011-annotation-project-index', annotationProjectIndex],
];

/** Binds each migration to the column types of the database it runs on. */
export function buildMigrations(t: ColumnTypes): Record<string, Migration> {
  return Object.fromEntries(MIGRATIONS.map(([name, module]) => [name, { up: (db: Kysely<unknown>) => module.up(db, t) }]));
}
