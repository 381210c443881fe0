import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Insertable } from 'kysely';
import { ALL_TAGS, orgTag, userTag, type ChangeSink } from '#src/repositories/read-cache.js';
import { chunksOf } from '#src/repositories/chunks.js';
import { USER_COLUMNS, type Database, type MembershipRow, type OrganizationMemberTable, type OrganizationRow, type RoleCode, type UserRow } from '#src/storage/schema.js';
import type { MemberSearch } from '#src/storage/database.js';

/** Columns the memberships list may be ordered by (the default is username, then id). */
export const MEMBER_ORDER_COLUMNS = ['email', 'first_name', 'last_name', 'last_activity', 'username', 'date_joined'] as const;
export type MemberOrderColumn = (typeof MEMBER_ORDER_COLUMNS)[number];

/** Columns a member search matches, as a case-insensitive substring. */
export const MEMBER_SEARCH_COLUMNS = ['first_name', 'last_name', 'email', 'username'] as const;

/** Which members a list shows (all optional): the SDK's `members.list` filters. */
export interface MemberFilter {
  /** Case-insensitive substring of first name, last name, e-mail or username; removed members never match. */
  search?: string;
  roles?: readonly RoleCode[];
  /** true: removed members only; false: live ones only; absent: both (Label Studio's list). */
  deleted?: boolean;
  lastActivityFrom?: string;
  lastActivityTo?: string;
  userIds?: readonly number[];
}

export interface MemberListQuery extends MemberFilter {
  organizationId: number;
  order: { column: MemberOrderColumn; descending: boolean };
  limit: number;
  offset: number;
  /**
   * Read the list from its end: `offset` then counts from the last member. The rows come back in the list's order
   * all the same. A deep page near the end costs what a first page costs.
   */
  fromEnd?: boolean;
  /** Only members strictly after this one in the list's order (keyset: the next chunk of a long list). */
  after?: MemberWithUser;
}

/** A membership with its user, as the memberships list shows it. */
export interface MemberWithUser {
  membership: MembershipRow;
  user: UserRow;
}

/** Whether the filter reads the users' columns (a search, an activity range), not the memberships index alone. */
export function filtersOnUsers(filter: MemberFilter): boolean {
  return filter.search !== undefined || filter.lastActivityFrom !== undefined || filter.lastActivityTo !== undefined;
}

/** A member list row: the user's columns and the membership's, prefixed `m_`. */
type MemberListRow = UserRow & {
  m_id: number;
  m_organization_id: number;
  m_role: RoleCode;
  m_role_before_deactivation: RoleCode | null;
  m_created_at: string;
  m_updated_at: string;
  m_deleted_at: string | null;
};

function memberWithUser({ m_id, m_organization_id, m_role, m_role_before_deactivation, m_created_at, m_updated_at, m_deleted_at, ...user }: MemberListRow): MemberWithUser {
  return {
    membership: {
      id: m_id,
      user_id: user.id,
      organization_id: m_organization_id,
      role: m_role,
      role_before_deactivation: m_role_before_deactivation,
      created_at: m_created_at,
      updated_at: m_updated_at,
      deleted_at: m_deleted_at,
    },
    user,
  };
}

/** `%`, `_` and the escape character itself are literal in a search term. */
function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type ListScope = ExpressionBuilder<Database & { m: Database['organization_members']; u: Database['users'] }, 'm' | 'u'>;

/**
 * The sort keys of each ordering, ending with the user id (a member's user is unique in an organization), so every
 * ordering is total and served by one index on `users` read forwards or backwards (migration 0009). Never-active
 * users sort last in both directions of `last_activity`.
 */
function sortKeys(column: MemberOrderColumn, descending: boolean): Array<{ key: RawBuilder<unknown>; descending: boolean; value: (u: UserRow) => unknown }> {
  const id = { key: sql`u.id`, descending, value: (u: UserRow) => u.id };
  if (column !== 'last_activity') return [{ key: sql.ref(`u.${column}`), descending, value: (u) => u[column] }, id];
  return [
    { key: sql`(u.last_activity is null)`, descending: false, value: (u) => u.last_activity === null },
    { key: sql`u.last_activity`, descending, value: (u) => u.last_activity },
    id,
  ];
}

/**
 * `(k1, k2, …) > (v1, v2, …)` in the list's order, spelled out (directions may differ, NULLs compare as false), behind
 * a bound on the first key alone (`k1 >= v1`): the same rows, but a range the order's index can start from. Without it
 * SQLite read every member after the position for each chunk of a streamed list (at 1,000,000 members everyone with
 * their projects took 412 s instead of a minute).
 */
function afterKeys(eb: ListScope, keys: ReturnType<typeof sortKeys>, user: UserRow): Expression<SqlBool> {
  const [first] = keys;
  const firstValue = first?.value(user);
  const after = strictlyAfter(eb, keys, user);
  if (!first || firstValue === null || firstValue === undefined) return after;
  return eb.and([sql<SqlBool>`${first.key} ${sql.raw(first.descending ? '<=' : '>=')} ${firstValue}`, after]);
}

function strictlyAfter(eb: ListScope, keys: ReturnType<typeof sortKeys>, user: UserRow): Expression<SqlBool> {
  const clauses = keys.map((_, index) => {
    const equal = keys.slice(0, index).map((k) => eqValue(k.key, k.value(user)));
    const k = keys[index]!;
    const value = k.value(user);
    // Nothing sorts beyond NULL on its own key: NULLs only tie (the `is null` key already placed them last).
    const beyond = value === null ? sql<SqlBool>`false` : sql<SqlBool>`${k.key} ${sql.raw(k.descending ? '<' : '>')} ${value}`;
    return eb.and([...equal, beyond]);
  });
  return eb.or(clauses);
}

const eqValue = (key: RawBuilder<unknown>, value: unknown): RawBuilder<SqlBool> =>
  value === null ? sql<SqlBool>`${key} is null` : sql<SqlBool>`${key} = ${value}`;

/** SQL for organization memberships (soft-deleted rows keep `deleted_at`). */
export class MembershipRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changed: ChangeSink = () => undefined,
    private readonly memberSearch: MemberSearch = { candidates: () => undefined, countWithPage: false },
  ) {}

  find(userId: number, organizationId: number): Promise<MembershipRow | undefined> {
    return this.db
      .selectFrom('organization_members')
      .selectAll()
      .where('user_id', '=', userId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
  }

  async insert(userId: number, organizationId: number, role: RoleCode, at: string): Promise<MembershipRow> {
    const row = await this.db
      .insertInto('organization_members')
      .values({ user_id: userId, organization_id: organizationId, role, created_at: at, updated_at: at, deleted_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    this.changed(userTag(userId), orgTag(organizationId));
    return row;
  }

  /** Inserts many memberships at once, ids included (an import). */
  async insertMany(rows: ReadonlyArray<Insertable<OrganizationMemberTable>>): Promise<void> {
    for (const chunk of chunksOf(rows, 7)) await this.db.insertInto('organization_members').values(chunk).execute();
    this.changed(ALL_TAGS);
  }

  /** Every membership (removed ones included) of the users in the organizations. */
  async listFor(userIds: readonly number[], organizationIds: readonly number[]): Promise<MembershipRow[]> {
    if (userIds.length === 0 || organizationIds.length === 0) return [];
    const out: MembershipRow[] = [];
    for (const chunk of chunksOf([...new Set(userIds)], 1)) {
      out.push(
        ...(await this.db
          .selectFrom('organization_members')
          .selectAll()
          .where('user_id', 'in', chunk)
          .where('organization_id', 'in', [...new Set(organizationIds)])
          .execute()),
      );
    }
    return out;
  }

  /** Removes the memberships still live (never an owner's); returns how many changed. */
  async removeMany(ids: readonly number[], at: string): Promise<number> {
    let changed = 0;
    for (const chunk of chunksOf(ids, 1)) {
      const result = await this.db
        .updateTable('organization_members')
        .set({ deleted_at: at, updated_at: at })
        .where('id', 'in', chunk)
        .where('deleted_at', 'is', null)
        .where('role', '<>', 'OW')
        .executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
    this.changed(ALL_TAGS);
    return changed;
  }

  /** Those of the organizations that have an owner's membership. */
  async organizationsWithOwner(organizationIds: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (const chunk of chunksOf([...new Set(organizationIds)], 1)) {
      const rows = await this.db.selectFrom('organization_members').select('organization_id').where('organization_id', 'in', chunk).where('role', '=', 'OW').execute();
      for (const row of rows) out.add(row.organization_id);
    }
    return out;
  }

  /** Memberships of the organization, oldest first (removed ones included). */
  listOfOrganization(organizationId: number): Promise<MembershipRow[]> {
    return this.db.selectFrom('organization_members').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute();
  }

  /** The user's live memberships, oldest first. */
  listActiveForUser(userId: number): Promise<MembershipRow[]> {
    return this.db
      .selectFrom('organization_members')
      .selectAll()
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
  }

  /** Organizations where the user has a live membership, by id. */
  listOrganizationsOfUser(userId: number): Promise<OrganizationRow[]> {
    return this.db
      .selectFrom('organizations as o')
      .innerJoin('organization_members as m', 'm.organization_id', 'o.id')
      .selectAll('o')
      .where('m.user_id', '=', userId)
      .where('m.deleted_at', 'is', null)
      .orderBy('o.id')
      .execute();
  }

  /** Ids of every member of the organization, removed ones included (Label Studio's `users`), by membership id. */
  async userIdsOf(organizationId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('organization_members')
      .select('user_id')
      .where('organization_id', '=', organizationId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.user_id);
  }

  private filtered(organizationId: number, filter: MemberFilter) {
    const { search } = filter;
    let query = this.db
      .selectFrom('organization_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('m.organization_id', '=', organizationId);
    if (filter.roles?.length) query = query.where('m.role', 'in', [...filter.roles]);
    if (filter.deleted !== undefined) query = query.where('m.deleted_at', filter.deleted ? 'is not' : 'is', null);
    if (filter.lastActivityFrom) query = query.where('u.last_activity', '>=', filter.lastActivityFrom);
    if (filter.lastActivityTo) query = query.where('u.last_activity', '<=', filter.lastActivityTo);
    if (filter.userIds) query = query.where('m.user_id', 'in', filter.userIds.length > 0 ? [...filter.userIds] : [-1]);
    if (search) {
      const pattern = likePattern(search);
      const candidates = this.memberSearch.candidates(search);
      // A list of users is short: checking each costs less than asking the index.
      if (candidates && !filter.userIds) query = query.where('u.id', 'in', candidates);
      // The exact test on every candidate: the same matches whichever index found them.
      query = query.where('m.deleted_at', 'is', null).where((eb) =>
        eb.or(MEMBER_SEARCH_COLUMNS.map((column) => sql<boolean>`lower(${sql.ref(`u.${column}`)}) like ${pattern} escape '\\'`)),
      );
    }
    return query;
  }

  /** How many members match; without a filter on the users' columns only the memberships index is read. */
  async countMembers(organizationId: number, filter: MemberFilter = {}): Promise<number> {
    if (!filtersOnUsers(filter)) {
      let query = this.db.selectFrom('organization_members as m').where('m.organization_id', '=', organizationId);
      if (filter.roles?.length) query = query.where('m.role', 'in', [...filter.roles]);
      if (filter.deleted !== undefined) query = query.where('m.deleted_at', filter.deleted ? 'is not' : 'is', null);
      if (filter.userIds) query = query.where('m.user_id', 'in', filter.userIds.length > 0 ? [...filter.userIds] : [-1]);
      const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    }
    const row = await this.filtered(organizationId, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** One page of members with their users, in one query that reads an index in the list's order and stops. */
  async listMembers(query: MemberListQuery): Promise<MemberWithUser[]> {
    const rows = await this.#page(query).execute();
    if (query.fromEnd) rows.reverse();
    return rows.map(memberWithUser);
  }

  /**
   * One page and how many members match in all, in one pass: a search must visit every candidate to count them and
   * again to sort them, and this visits them once. Undefined where the database reads a page faster on its own
   * (`MemberSearch.countWithPage`), and past the last match, where no row carries the total.
   */
  async listMembersCounted(query: MemberListQuery): Promise<{ rows: MemberWithUser[]; total: number } | undefined> {
    if (!this.memberSearch.countWithPage) return undefined;
    const rows = await this.#page({ ...query, fromEnd: false })
      .select(sql<number>`count(*) over ()`.as('matches'))
      .execute();
    const first = rows[0];
    if (first === undefined) return undefined;
    return { rows: rows.map(({ matches: _matches, ...row }) => memberWithUser(row)), total: Number(first.matches) };
  }

  /**
   * The user ids of every member that matches, in the list's order, or undefined when more than `cap` match. One
   * narrow pass (ids only): what a remembered search keeps, so its pages and count cost no second visit.
   */
  async matchingUserIds(query: Omit<MemberListQuery, 'limit' | 'offset' | 'after' | 'fromEnd'>, cap: number): Promise<number[] | undefined> {
    let select = this.filtered(query.organizationId, query).select('u.id');
    for (const { key, descending } of sortKeys(query.order.column, query.order.descending)) select = select.orderBy(key, descending ? 'desc' : 'asc');
    const rows = await select.limit(cap + 1).execute();
    return rows.length > cap ? undefined : rows.map((row) => row.id);
  }

  #page(query: MemberListQuery) {
    const keys = sortKeys(query.order.column, query.order.descending);
    let select = this.filtered(query.organizationId, query)
      .select(USER_COLUMNS.map((column) => `u.${column}` as const))
      .select([
        'm.id as m_id',
        'm.organization_id as m_organization_id',
        'm.role as m_role',
        'm.role_before_deactivation as m_role_before_deactivation',
        'm.created_at as m_created_at',
        'm.updated_at as m_updated_at',
        'm.deleted_at as m_deleted_at',
      ]);
    const after = query.after;
    if (after) select = select.where((eb) => afterKeys(eb as unknown as ListScope, keys, after.user));
    for (const { key, descending } of keys) select = select.orderBy(key, descending !== (query.fromEnd ?? false) ? 'desc' : 'asc');
    return select.limit(query.limit).offset(query.offset);
  }

  /** Title and creator e-mail of several organizations at once (`active_organization_meta` of listed users). */
  async organizationMetas(organizationIds: readonly number[]): Promise<Map<number, { title: string; email: string }>> {
    const out = new Map<number, { title: string; email: string }>();
    if (organizationIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('organizations as o')
      .leftJoin('users as u', 'u.id', 'o.created_by_id')
      .select(['o.id', 'o.title', 'u.email'])
      .where('o.id', 'in', [...new Set(organizationIds)])
      .execute();
    for (const row of rows) out.set(row.id, { title: row.title, email: row.email ?? '' });
    return out;
  }

  /** Gives a membership a role; `roleBeforeDeactivation` is what a deactivation keeps to give back (null otherwise). */
  async setRole(membershipId: number, role: RoleCode, at: string, roleBeforeDeactivation: RoleCode | null = null): Promise<void> {
    this.#changedRows(
      await this.db
        .updateTable('organization_members')
        .set({ role, role_before_deactivation: roleBeforeDeactivation, updated_at: at })
        .where('id', '=', membershipId)
        .returning(['user_id', 'organization_id'])
        .execute(),
    );
  }

  async markDeleted(membershipId: number, at: string): Promise<void> {
    this.#changedRows(
      await this.db.updateTable('organization_members').set({ deleted_at: at, updated_at: at }).where('id', '=', membershipId).returning(['user_id', 'organization_id']).execute(),
    );
  }

  #changedRows(rows: ReadonlyArray<{ user_id: number; organization_id: number }>): void {
    for (const row of rows) this.changed(userTag(row.user_id), orgTag(row.organization_id));
  }

  /** Brings a removed member back with a role (an e-mail invitation accepted). */
  async restore(membershipId: number, role: RoleCode, at: string): Promise<void> {
    this.#changedRows(
      await this.db
        .updateTable('organization_members')
        .set({ role, role_before_deactivation: null, deleted_at: null, updated_at: at })
        .where('id', '=', membershipId)
        .returning(['user_id', 'organization_id'])
        .execute(),
    );
  }
}
