import { hotkeysProblem, parseStoredHotkeys, type HotkeyMap } from '#src/domain/hotkeys.js';
import { MAX_ROW_ID } from '#src/domain/limits.js';
import { AppError } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import { roleAllows } from '#src/policies/permissions.js';
import type { ServiceDeps } from '#src/services/service-deps.js';

/** Label Studio's project id rule: canonical positive decimal, so `+5`, `05`, ` 5` and `` are all refused. */
const PROJECT_ID = /^[1-9][0-9]*$/;

/** Label Studio answers a rejected map with its own body, not the error envelope. */
function invalidHotkeys(details: Record<string, string[]>): AppError {
  return new AppError('hotkeys.invalid', 'Invalid hotkeys configuration', { body: { error: 'Invalid hotkeys configuration', details } });
}

/** Personal hotkeys: the account-level map on the user, and per-project overrides that create no membership. */
export class HotkeysService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The account map, or the override for `project` (`{}` when there is none). */
  async get(ctx: MemberContext, project: string | undefined): Promise<HotkeyMap> {
    const { repos } = this.deps;
    const user = ctx.actor.user;
    const projectId = await this.projectScope(ctx, project);
    if (projectId === undefined) {
      const fresh = await repos.users.findById(user.id);
      return parseStoredHotkeys(fresh?.custom_hotkeys);
    }
    return parseStoredHotkeys(await repos.hotkeyPreferences.find(user.id, projectId));
  }

  /** Replaces (never merges) the account map or the project override; `{}` for a project removes the override. */
  async replace(ctx: MemberContext, body: unknown, project: string | undefined): Promise<HotkeyMap> {
    const userId = ctx.actor.user.id;
    const projectId = await this.projectScope(ctx, project);
    const details = bodyProblems(body);
    if (details) throw invalidHotkeys(details);
    const customHotkeys = (body as { custom_hotkeys: HotkeyMap }).custom_hotkeys;
    const text = JSON.stringify(customHotkeys);
    await this.deps.uow.run(ctx, async (tx) => {
      if (projectId === undefined) await tx.repos.users.update(userId, { custom_hotkeys: text });
      else if (Object.keys(customHotkeys).length === 0) await tx.repos.hotkeyPreferences.remove(userId, projectId);
      else await tx.repos.hotkeyPreferences.put(userId, projectId, text);
      await tx.record({ action: 'user.hotkeys_changed', target: { type: 'user', id: userId }, projectId: projectId ?? null, details: { hotkeys: Object.keys(customHotkeys).length } });
    });
    return customHotkeys;
  }

  /**
   * The project named by `?project=`, checked: 400 when malformed, 404 when not in the user's active
   * organization, 403 when the user may not see projects there. Undefined when no project was named.
   */
  private async projectScope(ctx: MemberContext, project: string | undefined): Promise<number | undefined> {
    if (project === undefined) return undefined;
    if (!PROJECT_ID.test(project)) throw AppError.validation({ project: 'Project must be an integer.' });
    const projectId = Number(project);
    const organizationId = projectId > MAX_ROW_ID ? undefined : await this.deps.repos.hotkeyPreferences.projectOrganizationId(projectId);
    if (organizationId === undefined || organizationId !== ctx.actor.organizationId) throw AppError.notFound('Project not found.');
    if (!roleAllows(ctx.actor.role, 'projects.view')) throw AppError.forbidden('You do not have access to this project.');
    return projectId;
  }
}

/** DRF-style errors of the PATCH body `{"custom_hotkeys": {...}}`, or null when it is acceptable. */
function bodyProblems(body: unknown): Record<string, string[]> | null {
  if (body === undefined) return { custom_hotkeys: ['This field is required.'] };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(body) ? 'list' : typeof body}.`] };
  }
  if (!Object.hasOwn(body, 'custom_hotkeys')) return { custom_hotkeys: ['This field is required.'] };
  const problem = hotkeysProblem((body as Record<string, unknown>).custom_hotkeys);
  return problem ? { custom_hotkeys: [problem] } : null;
}
