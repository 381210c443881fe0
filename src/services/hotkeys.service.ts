import { hotkeysProblem, parseStoredHotkeys, type HotkeyMap } from '#src/domain/hotkeys.js';
import { AppError } from '#src/errors.js';
import { roleAllows } from '#src/policies/permissions.js';
import type { Repositories } from '#src/repositories/index.js';
import type { UserRow } from '#src/storage/schema.js';

/** Label Studio's project id rule: canonical positive decimal, so `+5`, `05`, ` 5` and `` are all refused. */
const PROJECT_ID = /^[1-9][0-9]*$/;
const MAX_ID = 2_147_483_647;

/** A replacement either saved (and echoed) or refused with Label Studio's `details` map. */
export type HotkeysUpdate = { ok: true; customHotkeys: HotkeyMap } | { ok: false; details: Record<string, string[]> };

/** Personal hotkeys: the account-level map on the user, and per-project overrides that create no membership. */
export class HotkeysService {
  constructor(private readonly repos: Repositories) {}

  /** The account map, or the override for `project` (`{}` when there is none). */
  async get(user: UserRow, project: string | undefined): Promise<HotkeyMap> {
    const projectId = await this.projectScope(user, project);
    if (projectId === undefined) {
      const fresh = await this.repos.users.findById(user.id);
      return parseStoredHotkeys(fresh?.custom_hotkeys);
    }
    return parseStoredHotkeys(await this.repos.hotkeyPreferences.find(user.id, projectId));
  }

  /** Replaces (never merges) the account map or the project override; `{}` for a project removes the override. */
  async replace(user: UserRow, body: unknown, project: string | undefined): Promise<HotkeysUpdate> {
    const projectId = await this.projectScope(user, project);
    const details = bodyProblems(body);
    if (details) return { ok: false, details };
    const customHotkeys = (body as { custom_hotkeys: HotkeyMap }).custom_hotkeys;
    const text = JSON.stringify(customHotkeys);
    if (projectId === undefined) await this.repos.users.update(user.id, { custom_hotkeys: text });
    else if (Object.keys(customHotkeys).length === 0) await this.repos.hotkeyPreferences.remove(user.id, projectId);
    else await this.repos.hotkeyPreferences.put(user.id, projectId, text);
    return { ok: true, customHotkeys };
  }

  /**
   * The project named by `?project=`, checked: 400 when malformed, 404 when not in the user's active
   * organization, 403 when the user may not see projects there. Undefined when no project was named.
   */
  private async projectScope(user: UserRow, project: string | undefined): Promise<number | undefined> {
    if (project === undefined) return undefined;
    if (!PROJECT_ID.test(project)) throw AppError.validation({ project: 'Project must be an integer.' });
    const projectId = Number(project);
    const organizationId = projectId > MAX_ID ? undefined : await this.repos.hotkeyPreferences.projectOrganizationId(projectId);
    if (organizationId === undefined || organizationId !== user.active_organization_id) throw AppError.notFound('Project not found.');
    const membership = await this.repos.memberships.find(user.id, organizationId);
    if (!membership || membership.deleted_at !== null || !roleAllows(membership.role, 'projects.view')) {
      throw AppError.forbidden('You do not have access to this project.');
    }
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
