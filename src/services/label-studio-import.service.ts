import type { ActionContext } from '#src/policies/action-context.js';
import { ReportBuilder, type ImportOutcome, type ImportReport } from '#src/services/label-studio-import/import-report.js';
import { ImportRun, type ImportOptions } from '#src/services/label-studio-import/import-run.js';
import { importMemberships } from '#src/services/label-studio-import/import-memberships.js';
import { importOrganizations, planOrganizations } from '#src/services/label-studio-import/import-organizations.js';
import { importPersonalTokens } from '#src/services/label-studio-import/import-tokens.js';
import { importUsers } from '#src/services/label-studio-import/import-users.js';
import { importAnnotations, importProjectHotkeys, importProjects, importTasks } from '#src/services/label-studio-import/import-work.js';
import { ANNOTATIONS, TASKS } from '#src/services/label-studio-import/source-tables.js';
import { assertSupported } from '#src/services/label-studio-import/source-version.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { IdTable } from '#src/storage/schema.js';

export type { ConflictPolicy, ImportOptions, ImportProgress } from '#src/services/label-studio-import/import-run.js';
export type { ImportReport } from '#src/services/label-studio-import/import-report.js';

/** Tables written with explicit ids, whose PostgreSQL sequences must then move past them. */
const ID_TABLES: readonly IdTable[] = ['users', 'organizations', 'organization_members', 'projects', 'tasks', 'annotations'];

/**
 * What the activity log keeps of an import. Named so the log's redaction (any key mentioning a token, key, password…)
 * leaves the counts readable; no secret is in them.
 */
function logDetails(source: string, options: ImportOptions, report: ReportBuilder): Record<string, unknown> {
  const { counts } = report;
  return {
    source,
    on_conflict: options.onConflict,
    default_role: options.defaultRole,
    users: counts.users,
    organizations: counts.organizations,
    memberships: counts.memberships,
    legacy_api: counts.legacyTokens,
    pats: counts.personalAccessTokens,
    avatars: counts.avatars,
    projects: counts.projects,
    tasks: counts.tasks,
    annotations: counts.annotations,
    conflicts: report.conflicts.length,
  };
}

/** Thrown inside the transaction to undo it on purpose (a dry run, refused conflicts); never escapes the service. */
class Rollback extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super(outcome);
  }
}

/**
 * Moving in from Label Studio: one Label Studio database imported in one transaction — all of it, or (a failure, a
 * crash, a refused conflict, a dry run) nothing. Hashes, keys and tokens move as they are: no per-row hashing.
 */
export class LabelStudioImportService {
  constructor(private readonly deps: ServiceDeps) {}

  async run(ctx: ActionContext, options: ImportOptions): Promise<ImportReport> {
    const { shape } = options.source;
    assertSupported(shape);
    const started = Date.now();
    const report = new ReportBuilder();
    // Read once, before anything is written: rows Label Studio adds meanwhile wait for the next run.
    const sourceMax = { task: await options.source.max(TASKS.table, TASKS.key), annotation: await options.source.max(ANNOTATIONS.table, ANNOTATIONS.key) };
    let outcome: ImportOutcome = options.dryRun ? 'dry-run' : 'imported';
    try {
      await this.deps.uow.run(ctx, async (tx) => {
        const now = this.deps.clock.now().toISOString();
        const marks = await tx.repos.labelStudioImport.startRun(shape.installationKey, shape.description, now);
        const run = new ImportRun(tx, this.deps, options, report, shape.installationKey, now);
        const plan = await planOrganizations(run);
        await importUsers(run);
        if (run.refused) throw new Rollback('refused');
        await importOrganizations(run, plan);
        await importMemberships(run);
        await importPersonalTokens(run);
        await importProjects(run);
        await importTasks(run, marks);
        await importAnnotations(run, marks);
        await importProjectHotkeys(run);
        await tx.repos.labelStudioImport.setHighWater(shape.installationKey, {
          task: Math.max(marks.task, sourceMax.task),
          annotation: Math.max(marks.annotation, sourceMax.annotation),
        });
        await tx.record({ action: 'import.completed', organizationId: null, details: logDetails(shape.description, options, report) });
        if (options.dryRun) throw new Rollback('dry-run');
        // Last: PostgreSQL's setval is not undone by a rollback (it would only leave a gap in the numbering).
        await tx.advanceIdSequences(ID_TABLES);
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
      outcome = error.outcome;
    }
    const { counts } = report;
    return report.finish({
      outcome,
      source: { engine: shape.engine, description: shape.description, installation: shape.installationKey.slice(0, 12) },
      secretKey: { given: options.secretKey !== undefined, from: options.secretKeyFrom ?? null },
      patsMustBeReissued: counts.personalAccessTokens.notCarried > 0,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }
}
