import type { Insertable } from 'kysely';
import type { HighWater } from '#src/repositories/label-studio-import.repository.js';
import type { ImportRun } from '#src/services/label-studio-import/import-run.js';
import { ANNOTATIONS, PROJECT_HOTKEYS, PROJECTS, TASKS } from '#src/services/label-studio-import/source-tables.js';
import type { AnnotationTable, ProjectTable, TaskTable } from '#src/storage/schema.js';

/**
 * Projects, tasks and annotations: what the contribution statistics count and "Deleted User" attribution needs, ids
 * kept where free (links and scripts keep working). Projects soft-deleted in Label Studio wait there for their purge
 * and are not brought over.
 */
export async function importProjects(run: ImportRun): Promise<void> {
  const { counts } = run.report;
  const ledger = run.repos.labelStudioImport;
  const previous = await ledger.allTargets(run.sourceKey, 'project');
  for (const [source, target] of previous) {
    run.projects.set(source, target);
    run.projectTargets.add(target);
  }
  const allocator = await run.allocator('projects', PROJECTS);
  for await (const batch of run.read('projects', PROJECTS)) {
    const fresh = batch.flatMap((p) => {
      if (p.id === null || previous.has(p.id)) return [];
      if (p.deleted_at !== null) run.warn('project_deleted', `project ${p.id}`);
      const organizationId = p.organization_id === null ? undefined : run.organizations.get(p.organization_id);
      if (organizationId === undefined && p.deleted_at === null) run.warn('project_orphan', `project ${p.id}`);
      return p.deleted_at !== null || organizationId === undefined ? [] : [{ p, id: p.id, organizationId }];
    });
    counts.projects.alreadyImported += batch.filter((p) => p.id !== null && previous.has(p.id)).length;
    const ids = await run.placeIds('projects', fresh.map((f) => f.id), allocator);
    const rows: Array<Insertable<ProjectTable>> = fresh.map(({ p, id: sourceId, organizationId }) => {
      const id = ids.get(sourceId) ?? sourceId;
      if (id !== sourceId) counts.renumbered.projects += 1;
      run.projects.set(sourceId, id);
      run.projectTargets.add(id);
      return {
        id,
        organization_id: organizationId,
        created_by_id: p.created_by_id === null ? null : (run.users.get(p.created_by_id) ?? null),
        title: run.fit(p.title, 50, `project ${sourceId} title`),
        description: p.description ?? '',
        label_config: p.label_config ?? '<View></View>',
        created_at: p.created_at ?? run.now,
        updated_at: p.updated_at ?? p.created_at ?? run.now,
      };
    });
    await run.repos.projects.insertMany(rows);
    await ledger.record(run.sourceKey, 'project', fresh.map((f) => [f.id, run.projects.get(f.id) ?? f.id] as const));
    counts.projects.imported += rows.length;
  }
}

/** Tasks of the imported projects, after the ids an earlier run handled. Only renumbered ones are recorded. */
export async function importTasks(run: ImportRun, marks: HighWater): Promise<void> {
  const ledger = run.repos.labelStudioImport;
  const allocator = await run.allocator('tasks', TASKS);
  for await (const batch of run.read('tasks', TASKS, marks.task)) {
    const fresh = batch.flatMap((t) => {
      const projectId = t.project_id === null ? undefined : run.projects.get(t.project_id);
      if (t.id === null || projectId === undefined) {
        run.warn('task_orphan', `task ${t.id ?? '?'}`);
        return [];
      }
      return [{ t, id: t.id, projectId }];
    });
    const ids = await run.placeIds('tasks', fresh.map((f) => f.id), allocator);
    const renumbered = [...ids].filter(([source, target]) => source !== target);
    const rows: Array<Insertable<TaskTable>> = fresh.map(({ t, id, projectId }) => ({
      id: ids.get(id) ?? id,
      project_id: projectId,
      data: t.data ?? '{}',
      meta: t.meta ?? '{}',
      created_at: t.created_at ?? run.now,
      updated_at: t.updated_at ?? t.created_at ?? run.now,
    }));
    await run.repos.projects.insertTasksWithIds(rows);
    await ledger.record(run.sourceKey, 'task', renumbered);
    run.report.counts.tasks.imported += rows.length;
    run.report.counts.renumbered.tasks += renumbered.length;
  }
}

/**
 * Annotations of the imported tasks. Each counts for its author in the project Label Studio recorded on it (what its
 * statistics use); an author whose account is gone in Label Studio stays unknown (null), as there.
 */
export async function importAnnotations(run: ImportRun, marks: HighWater): Promise<void> {
  const ledger = run.repos.labelStudioImport;
  const allocator = await run.allocator('annotations', ANNOTATIONS);
  for await (const batch of run.read('annotations', ANNOTATIONS, marks.annotation)) {
    const sourceTasks = batch.flatMap((a) => (a.task_id === null ? [] : [a.task_id]));
    const moved = await ledger.targets(run.sourceKey, 'task', sourceTasks);
    const taskProjects = await run.repos.projects.projectsOfTasks(sourceTasks.map((id) => moved.get(id) ?? id));
    const fresh = batch.flatMap((a) => {
      const taskId = a.task_id === null ? undefined : (moved.get(a.task_id) ?? a.task_id);
      const taskProject = taskId === undefined ? undefined : taskProjects.get(taskId);
      // The task must be one this source brought (in one of its projects), not a task of the same number made here.
      if (a.id === null || taskId === undefined || taskProject === undefined || !run.projectTargets.has(taskProject)) {
        run.warn('annotation_orphan', `annotation ${a.id ?? '?'}`);
        return [];
      }
      const recorded = a.project_id === null ? undefined : run.projects.get(a.project_id);
      return [{ a, id: a.id, taskId, projectId: recorded ?? taskProject }];
    });
    const ids = await run.placeIds('annotations', fresh.map((f) => f.id), allocator);
    const renumbered = [...ids].filter(([source, target]) => source !== target);
    const rows: Array<Insertable<AnnotationTable>> = fresh.map(({ a, id, taskId, projectId }) => ({
      id: ids.get(id) ?? id,
      task_id: taskId,
      project_id: projectId,
      completed_by_id: a.completed_by_id === null ? null : (run.users.get(a.completed_by_id) ?? null),
      result: a.result ?? '[]',
      was_cancelled: a.was_cancelled ?? false,
      ground_truth: a.ground_truth ?? false,
      lead_time: a.lead_time,
      created_at: a.created_at ?? run.now,
      updated_at: a.updated_at ?? a.created_at ?? run.now,
    }));
    await run.repos.projects.insertAnnotationsWithIds(rows);
    await ledger.record(run.sourceKey, 'annotation', renumbered);
    run.report.counts.annotations.imported += rows.length;
    run.report.counts.renumbered.annotations += renumbered.length;
  }
}

/** Per-project hotkey overrides (Label Studio 2026); ones already here are left as they are. */
export async function importProjectHotkeys(run: ImportRun): Promise<void> {
  for await (const batch of run.read('project hotkeys', PROJECT_HOTKEYS)) {
    const rows = batch.flatMap((h) => {
      const userId = h.user_id === null ? undefined : run.users.get(h.user_id);
      const projectId = h.project_id === null ? undefined : run.projects.get(h.project_id);
      if (userId === undefined || projectId === undefined) run.warn('hotkeys_orphan', `override ${h.id ?? '?'}`);
      return userId === undefined || projectId === undefined ? [] : [{ user_id: userId, project_id: projectId, custom_hotkeys: h.custom_hotkeys ?? '{}' }];
    });
    run.report.counts.hotkeys.projectOverrides += await run.repos.hotkeyPreferences.insertMissing(rows);
  }
}
