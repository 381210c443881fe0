import { setImmediate as nextTurn } from 'node:timers/promises';
import { resolvePage, type PageRequest, type PageWindow } from '#src/domain/pagination.js';
import { AppError } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import { filtersOnUsers, MEMBER_ORDER_COLUMNS, type MemberFilter, type MemberListQuery, type MemberOrderColumn, type MemberWithUser } from '#src/repositories/membership.repository.js';
import type { MemberProjectRow } from '#src/repositories/contribution.repository.js';
import { allowedActions, type MemberAction } from '#src/policies/target-rules.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { MembershipRow, UserRow } from '#src/storage/schema.js';

/** Members read, completed and sent at a time: pages up to this size are one statement, larger ones are streamed. */
export const MEMBER_CHUNK_SIZE = 500;

/** A search matching more members than this is not remembered (its ids would cost more memory than its visit). */
export const REMEMBERED_SEARCH_MAX_MATCHES = 50_000;

/** Project lists in a member detail are capped, as in Label Studio. */
export const MEMBER_DETAIL_PROJECT_LIMIT = 100;

/** `ordering` values: each column ascending, or descending with a leading `-` (DRF's convention). */
const ORDERINGS: Record<string, { column: MemberOrderColumn; descending: boolean }> = Object.fromEntries(
  MEMBER_ORDER_COLUMNS.flatMap((column) => [
    [column, { column, descending: false }],
    [`-${column}`, { column, descending: true }],
  ]),
);

export interface ProjectRef {
  id: number;
  title: string;
}

export interface MemberListOptions {
  page: PageRequest;
  filter: MemberFilter;
  ordering?: string;
  /** Fill the created/contributed project lists (otherwise they stay null). */
  withProjects: boolean;
}

export interface MemberListEntry {
  membership: MembershipRow;
  user: UserRow;
  /** The listed user's active organization, absent for removed members (their identity is masked). */
  organizationMeta?: { title: string; email: string };
  masked: boolean;
  createdProjects: ProjectRef[] | null;
  contributedProjects: ProjectRef[] | null;
  /** What the viewer may do to this member (the People page's controls). */
  allowedActions: MemberAction[];
}

export interface MemberDetail {
  membership: MembershipRow;
  /** What the viewer may do to this member (as on the list). */
  allowedActions: MemberAction[];
  annotationsCount: number;
  contributedProjectsCount: number;
  createdProjects: ProjectRef[] | null;
  contributedProjects: ProjectRef[] | null;
}

function groupByUser(rows: MemberProjectRow[]): Map<number, ProjectRef[]> {
  const out = new Map<number, ProjectRef[]>();
  for (const row of rows) {
    const list = out.get(row.user_id) ?? [];
    list.push({ id: row.id, title: row.title });
    out.set(row.user_id, list);
  }
  return out;
}

/** Members of an organization: the People list, a member's contributions, and removal (soft delete). */
export class MembershipService {
  constructor(private readonly deps: ServiceDeps) {}

  /** One page of the actor's organization's members, in a fixed number of queries whatever the page size. */
  async list(ctx: MemberContext, options: MemberListOptions): Promise<{ window: PageWindow; entries: MemberListEntry[] }> {
    const { window, chunks } = await this.listChunks(ctx, options);
    const entries: MemberListEntry[] = [];
    for await (const chunk of chunks) entries.push(...chunk);
    return { window, entries };
  }

  /**
   * One page of members: up to MEMBER_CHUNK_SIZE in one chunk, a larger one as chunks of the database's
   * `streamChunkRows`, each read and completed (organizations, projects) on its own, so a page of 100,000 never sits in
   * memory and never holds the event loop: the first chunk by position, the next ones by keyset (after the last member
   * read). A page in the second half of the list is read from its end.
   */
  async listChunks(ctx: MemberContext, options: MemberListOptions): Promise<{ window: PageWindow; chunks: AsyncGenerator<MemberListEntry[]> }> {
    const { repos } = this.deps;
    // Enterprise clients order by `user__last_activity`; the same columns, named from the membership.
    const ordering = options.ordering?.replace(/^(-?)user__/, '$1');
    const order = ordering ? ORDERINGS[ordering] : { column: 'username' as const, descending: false };
    if (!order) throw AppError.validation({ ordering: [`Unknown ordering. Use one of: ${Object.keys(ORDERINGS).join(', ')}.`] });
    const filter = { ...options.filter, search: options.filter.search?.trim() || undefined };
    const organizationId = ctx.actor.organizationId;
    const query = { organizationId, ...filter, order };
    const complete = (rows: MemberWithUser[]) => this.#complete(ctx, rows, options.withProjects);
    const { streamChunkRows } = this.deps;
    const matches = await this.#rememberedSearch(query);
    if (matches) {
      const window = resolvePage(matches.length, options.page, 'empty');
      const ids = matches.subarray(window.offset, window.offset + window.pageSize);
      return { window, chunks: this.#membersByIds(query, ids, complete) };
    }
    const counted = await this.#countedPage(query, options.page);
    if (counted) {
      const { window, rows } = counted;
      async function* page(): AsyncGenerator<MemberListEntry[]> {
        if (rows.length > 0) yield await complete(rows);
      }
      return { window, chunks: page() };
    }
    // Past the last page the answer is an empty page: the SDK's member pager stops there (a 404 would raise).
    const window = resolvePage(await this.#count(organizationId, filter), options.page, 'empty');
    const total = Math.max(0, Math.min(window.pageSize, window.count - window.offset));
    async function* chunks(): AsyncGenerator<MemberListEntry[]> {
      if (total === 0) return;
      if (total <= MEMBER_CHUNK_SIZE) {
        const fromEnd = window.offset + total > window.count / 2;
        const offset = fromEnd ? window.count - window.offset - total : window.offset;
        yield await complete(await repos.memberships.listMembers({ ...query, limit: total, offset, fromEnd }));
        return;
      }
      let rows = await repos.memberships.listMembers({ ...query, limit: streamChunkRows, offset: window.offset });
      let served = 0;
      while (rows.length > 0) {
        served += rows.length;
        yield await complete(rows);
        const last = rows[rows.length - 1];
        if (served >= total || !last) return;
        // Let other requests run between chunks.
        await nextTurn();
        rows = await repos.memberships.listMembers({ ...query, limit: Math.min(streamChunkRows, total - served), offset: 0, after: last });
      }
    }
    return { window, chunks: chunks() };
  }

  /**
   * A search's matches, user ids in the list's order, remembered (`CachedReads.searchMatches`): the next page, the same
   * search again or the count cost no second visit of every match. Undefined for what cannot be remembered: an activity
   * range or order (`last_activity` moves all the time), a list of users, or more than REMEMBERED_SEARCH_MAX_MATCHES.
   */
  async #rememberedSearch(query: Omit<MemberListQuery, 'limit' | 'offset'>): Promise<Uint32Array | undefined> {
    const { search, order } = query;
    if (!search || query.lastActivityFrom || query.lastActivityTo || query.userIds || order.column === 'last_activity') return undefined;
    const key = JSON.stringify([search.toLowerCase(), order.column, order.descending, [...(query.roles ?? [])].sort(), query.deleted ?? null]);
    const { ids } = await this.deps.reads.searchMatches(query.organizationId, key, async () => {
      const found = await this.deps.repos.memberships.matchingUserIds(query, REMEMBERED_SEARCH_MAX_MATCHES);
      return found ? Uint32Array.from(found) : null;
    });
    return ids ?? undefined;
  }

  /** The members with these user ids, in this order, in chunks as `listChunks` makes them (the filters checked again). */
  async *#membersByIds(
    query: Omit<MemberListQuery, 'limit' | 'offset'>,
    ids: Uint32Array,
    complete: (rows: MemberWithUser[]) => Promise<MemberListEntry[]>,
  ): AsyncGenerator<MemberListEntry[]> {
    const size = ids.length > MEMBER_CHUNK_SIZE ? this.deps.streamChunkRows : MEMBER_CHUNK_SIZE;
    for (let start = 0; start < ids.length; start += size) {
      // Let other requests run between chunks.
      if (start > 0) await nextTurn();
      const chunk = [...ids.subarray(start, start + size)];
      const rows = await this.deps.repos.memberships.listMembers({ ...query, userIds: chunk, limit: chunk.length, offset: 0 });
      if (rows.length > 0) yield await complete(rows);
    }
  }

  /**
   * A search or an activity range, read with its count in one pass where the database does that best (it has no cached
   * count, and counting visits every match the page visits anyway): for a numbered page of one chunk. Undefined when
   * that does not apply, or when the page is past the last match, which has no row to carry the count.
   */
  async #countedPage(query: Omit<MemberListQuery, 'limit' | 'offset'>, request: PageRequest): Promise<{ window: PageWindow; rows: MemberWithUser[] } | undefined> {
    if (!filtersOnUsers(query) || request.page === 'last' || request.pageSize > MEMBER_CHUNK_SIZE) return undefined;
    const offset = (request.page - 1) * request.pageSize;
    const counted = await this.deps.repos.memberships.listMembersCounted({ ...query, limit: request.pageSize, offset });
    return counted && { window: resolvePage(counted.total, request, 'empty'), rows: counted.rows };
  }

  /**
   * The member count. Filters on membership columns only are counted from the memberships index and cached until a
   * membership of the organization changes; a search or an activity range is counted each time.
   */
  #count(organizationId: number, filter: MemberFilter): Promise<number> {
    const count = () => this.deps.repos.memberships.countMembers(organizationId, filter);
    if (filtersOnUsers(filter) || filter.userIds !== undefined) return count();
    const key = `${[...(filter.roles ?? [])].sort().join(',')}|${String(filter.deleted)}`;
    return this.deps.reads.memberCount(organizationId, key, count);
  }

  /** List entries for rows of one chunk: their organizations, projects and what the viewer may do to each. */
  async #complete(ctx: MemberContext, rows: MemberWithUser[], withProjects: boolean): Promise<MemberListEntry[]> {
    const { repos } = this.deps;
    const organizationId = ctx.actor.organizationId;
    const activeIds = rows.flatMap((r) => (r.user.active_organization_id === null ? [] : [r.user.active_organization_id]));
    const metas = await repos.memberships.organizationMetas(activeIds);
    let created = new Map<number, ProjectRef[]>();
    let contributed = new Map<number, ProjectRef[]>();
    if (withProjects) {
      const userIds = rows.map((r) => r.user.id);
      created = groupByUser(await repos.contributions.createdProjects(organizationId, userIds));
      contributed = groupByUser(await repos.contributions.contributedProjects(organizationId, userIds));
    }
    const overrides = await this.deps.actors.overridesFor(organizationId);
    return rows.map(({ membership, user }): MemberListEntry => {
      const masked = membership.deleted_at !== null;
      const meta = user.active_organization_id === null ? undefined : metas.get(user.active_organization_id);
      return {
        membership,
        user,
        organizationMeta: masked ? undefined : meta,
        masked,
        createdProjects: withProjects ? (created.get(user.id) ?? []) : null,
        contributedProjects: withProjects ? (contributed.get(user.id) ?? []) : null,
        allowedActions: allowedActions(ctx.actor, overrides, { userId: user.id, role: membership.role, roleBeforeDeactivation: membership.role_before_deactivation, removed: masked }),
      };
    });
  }

  /** One member as the list shows them (a role change answers with it); 404 when they have no membership here. */
  async entry(ctx: MemberContext, userId: number): Promise<MemberListEntry> {
    const { entries } = await this.list(ctx, { page: { page: 1, pageSize: 1 }, filter: { userIds: [userId] }, withProjects: false });
    const [entry] = entries;
    if (!entry) throw AppError.notFound();
    return entry;
  }

  /**
   * One member's contributions to the actor's organization. A missing membership is 404; the organization
   * must also be the actor's active one (403), as Label Studio's membership permission requires.
   */
  async detail(ctx: MemberContext, userId: number, withProjects: boolean): Promise<MemberDetail> {
    const { actor } = ctx;
    const { repos } = this.deps;
    const membership = await repos.memberships.find(userId, actor.organizationId);
    if (!membership) throw AppError.notFound();
    if (actor.user.active_organization_id !== actor.organizationId) throw AppError.forbidden();
    const counts = await repos.contributions.countsFor(actor.organizationId, userId);
    const overrides = await this.deps.actors.overridesFor(actor.organizationId);
    const detail: MemberDetail = {
      membership,
      allowedActions: allowedActions(actor, overrides, { userId, role: membership.role, roleBeforeDeactivation: membership.role_before_deactivation, removed: membership.deleted_at !== null }),
      annotationsCount: counts.annotations,
      contributedProjectsCount: counts.projects,
      createdProjects: null,
      contributedProjects: null,
    };
    if (withProjects) {
      const refs = (rows: MemberProjectRow[]) => rows.map(({ id, title }) => ({ id, title }));
      const { contributions } = repos;
      detail.createdProjects = refs(await contributions.createdProjects(actor.organizationId, [userId], MEMBER_DETAIL_PROJECT_LIMIT));
      detail.contributedProjects = refs(
        await contributions.contributedProjects(actor.organizationId, [userId], MEMBER_DETAIL_PROJECT_LIMIT),
      );
    }
    return detail;
  }
}
