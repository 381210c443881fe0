import type { Kysely } from 'kysely';
import type { Database, OrganizationRow, OrganizationTable, OrganizationUpdate } from '#src/storage/schema.js';
import type { Insertable } from 'kysely';
import { chunksOf } from '#src/repositories/chunks.js';
import { orgTag, type ChangeSink } from '#src/repositories/read-cache.js';

/** SQL for organizations. */
export class OrganizationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changed: ChangeSink = () => undefined,
  ) {}

  findById(id: number): Promise<OrganizationRow | undefined> {
    return this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The first organization ever created: where Label Studio puts every sign-up. */
  findFirst(): Promise<OrganizationRow | undefined> {
    return this.db.selectFrom('organizations').selectAll().orderBy('id').limit(1).executeTakeFirst();
  }

  /** The organization whose invite token has this keyed hash. */
  findByInviteLookup(lookupHash: string): Promise<OrganizationRow | undefined> {
    return this.db.selectFrom('organizations').selectAll().where('invite_lookup_hash', '=', lookupHash).executeTakeFirst();
  }

  /** Organizations whose invite token is still stored in the clear (created before tokens were sealed). */
  listUnsealed(): Promise<Array<{ id: number; token: string }>> {
    return this.db
      .selectFrom('organizations')
      .select(['id', 'invite_lookup_hash as token'])
      .where('invite_ciphertext', 'is', null)
      .execute();
  }

  insert(org: Insertable<OrganizationTable>): Promise<OrganizationRow> {
    return this.db.insertInto('organizations').values(org).returningAll().executeTakeFirstOrThrow();
  }

  /** Inserts many organizations at once, ids included (an import). */
  async insertMany(orgs: ReadonlyArray<Insertable<OrganizationTable>>): Promise<void> {
    for (const chunk of chunksOf(orgs, 14)) await this.db.insertInto('organizations').values(chunk).execute();
  }

  /** Those of the invite lookup hashes already in use. */
  async inviteLookupsInUse(lookupHashes: readonly string[]): Promise<Set<string>> {
    if (lookupHashes.length === 0) return new Set();
    const rows = await this.db.selectFrom('organizations').select('invite_lookup_hash').where('invite_lookup_hash', 'in', [...lookupHashes]).execute();
    return new Set(rows.map((r) => r.invite_lookup_hash));
  }

  async update(id: number, changes: OrganizationUpdate): Promise<void> {
    await this.db.updateTable('organizations').set(changes).where('id', '=', id).execute();
    this.changed(orgTag(id));
  }

  /** Title and creator e-mail of an organization: `active_organization_meta` in user objects. */
  async meta(id: number): Promise<{ title: string; email: string } | undefined> {
    const row = await this.db
      .selectFrom('organizations as o')
      .leftJoin('users as u', 'u.id', 'o.created_by_id')
      .select(['o.title', 'u.email'])
      .where('o.id', '=', id)
      .executeTakeFirst();
    return row ? { title: row.title, email: row.email ?? '' } : undefined;
  }
}
