import type { PermissionOverrideRow } from '#src/repositories/organization-permission.repository.js';
import type { Repositories } from '#src/repositories/index.js';
import { orgTag, USER_PROFILES_TAG, userTag, type ReadCache } from '#src/repositories/read-cache.js';
import type { SessionPolicyRow } from '#src/repositories/session-policy.repository.js';
import type { SessionRow } from '#src/repositories/session.repository.js';
import type { MembershipRow, OrganizationRow, UserRow } from '#src/storage/schema.js';

/**
 * The reads every authenticated request makes (who is calling, their membership, the organization's settings and
 * overrides), through the read cache. Each is tagged with what it was read from, and every write to those rows names
 * the same tags (the repositories' write methods do it), so a cached read is never older than the last change the
 * change feed has delivered. Values are shared: callers must not change them.
 */
export class CachedReads {
  /** Remembered searches: few (each holds up to a list of ids) and kept longer, as tags drop them when they change. */
  readonly #searches: ReadCache;

  constructor(
    private readonly repos: Repositories,
    readonly cache: ReadCache,
  ) {
    this.#searches = cache.partition({ maxEntries: 32, ttlMs: 5 * 60_000 });
  }

  user(id: number): Promise<UserRow | undefined> {
    return this.cache.get(`user:${id}`, () => this.repos.users.findById(id), () => [userTag(id)]);
  }

  organization(id: number): Promise<OrganizationRow | undefined> {
    return this.cache.get(`org:${id}`, () => this.repos.organizations.findById(id), () => [orgTag(id)]);
  }

  /** Title and creator e-mail (`active_organization_meta`). */
  organizationMeta(id: number): Promise<{ title: string; email: string } | undefined> {
    return this.cache.get(`org-meta:${id}`, () => this.repos.organizations.meta(id), () => [orgTag(id)]);
  }

  membership(userId: number, organizationId: number): Promise<MembershipRow | undefined> {
    return this.cache.get(`membership:${userId}:${organizationId}`, () => this.repos.memberships.find(userId, organizationId), () => [
      userTag(userId),
      orgTag(organizationId),
    ]);
  }

  /** The user's live memberships, oldest first. */
  liveMemberships(userId: number): Promise<MembershipRow[]> {
    return this.cache.get(`memberships:${userId}`, () => this.repos.memberships.listActiveForUser(userId), () => [userTag(userId)]);
  }

  permissionOverrides(organizationId: number): Promise<PermissionOverrideRow[]> {
    return this.cache.get(`overrides:${organizationId}`, () => this.repos.permissionOverrides.list(organizationId), () => [orgTag(organizationId)]);
  }

  /** The holder of the legacy token with this keyed hash (unknown hashes are not kept). */
  legacyTokenHolder(lookupHash: string): Promise<number | undefined> {
    return this.cache.get(`legacy:${lookupHash}`, () => this.repos.legacyTokens.userIdFor(lookupHash), (userId) => [userTag(userId)]);
  }

  /** A web session by the hash of its cookie (unknown ones are not kept). */
  session(idHash: string): Promise<SessionRow | undefined> {
    return this.cache.get(`session:${idHash}`, () => this.repos.sessions.find(idHash), (row) => [userTag(row.user_id)]);
  }

  /** The organization's session policy; `policy` is null while it keeps the server's defaults (that is kept too). */
  sessionPolicy(organizationId: number): Promise<{ policy: SessionPolicyRow | null }> {
    return this.cache.get(
      `session-policy:${organizationId}`,
      async () => ({ policy: (await this.repos.sessionPolicies.find(organizationId)) ?? null }),
      () => [orgTag(organizationId)],
    );
  }

  /**
   * A member search's matches, user ids in the list's order (null: too many to keep), until a membership of the
   * organization or any user's searched columns change. `searchKey` names the term, the other filters and the order.
   */
  searchMatches(organizationId: number, searchKey: string, load: () => Promise<Uint32Array | null>): Promise<{ ids: Uint32Array | null }> {
    return this.#searches.get(`member-search:${organizationId}:${searchKey}`, async () => ({ ids: await load() }), () => [orgTag(organizationId), USER_PROFILES_TAG]);
  }

  /** A member count of the organization: `filterKey` names the filter, which must read only membership columns. */
  memberCount(organizationId: number, filterKey: string, count: () => Promise<number>): Promise<number> {
    return this.cache.get(`member-count:${organizationId}:${filterKey}`, count, () => [orgTag(organizationId)]);
  }
}
