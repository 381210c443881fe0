import type { Insertable } from 'kysely';
import type { RowOf } from '#src/ports/label-studio-source.port.js';
import type { ImportRun } from '#src/services/label-studio-import/import-run.js';
import { MEMBERSHIPS } from '#src/services/label-studio-import/source-tables.js';
import type { OrganizationMemberTable, RoleCode } from '#src/storage/schema.js';

type SourceMembership = RowOf<typeof MEMBERSHIPS> & { id: number };

const ROLES: readonly RoleCode[] = ['OW', 'AD', 'MA', 'RE', 'AN', 'NO', 'DI'];

/**
 * A member's role: the organization's creator is its owner; otherwise the source's Enterprise role when it has one
 * this server knows (an `OW` that is not the creator becomes `AD`: one owner per organization), else the default.
 */
function roleOf(run: ImportRun, membership: SourceMembership, isCreator: boolean): RoleCode {
  if (isCreator) return 'OW';
  const code = membership.role?.trim().toUpperCase();
  if (!code) return run.options.defaultRole;
  if (code === 'OW') return 'AD';
  if ((ROLES as readonly string[]).includes(code)) return code as RoleCode;
  run.warn('role_unknown', `membership ${membership.id}: ${code}`);
  return run.options.defaultRole;
}

/**
 * Memberships, removed ones included (they stay removed: masked as "Deleted User", their work still counted). Label
 * Studio allows two rows for one user and organization; they are kept once. A re-run carries over removals made in
 * Label Studio since to memberships imported before.
 */
export async function importMemberships(run: ImportRun): Promise<void> {
  const { counts } = run.report;
  const ledger = run.repos.labelStudioImport;
  const allocator = await run.allocator('organization_members', MEMBERSHIPS);
  for await (const batch of run.read('memberships', MEMBERSHIPS)) {
    const rows = batch.filter((m): m is SourceMembership => m.id !== null);
    const previous = await ledger.targets(run.sourceKey, 'membership', rows.map((m) => m.id));
    const removedSince = rows.filter((m) => previous.has(m.id) && m.deleted_at !== null).map((m) => previous.get(m.id) ?? 0);
    counts.memberships.removedSince += await run.repos.memberships.removeMany(removedSince, run.now);
    counts.memberships.alreadyImported += previous.size;
    const fresh = rows.filter((m) => !previous.has(m.id));
    const resolved = fresh.flatMap((m) => {
      const userId = m.user_id === null ? undefined : run.users.get(m.user_id);
      const organizationId = m.organization_id === null ? undefined : run.organizations.get(m.organization_id);
      if (userId === undefined || organizationId === undefined) run.warn('membership_orphan', `membership ${m.id}`);
      return userId === undefined || organizationId === undefined ? [] : [{ m, userId, organizationId }];
    });
    const existing = await run.repos.memberships.listFor(resolved.map((r) => r.userId), resolved.map((r) => r.organizationId));
    const byPair = new Map(existing.map((row) => [`${row.user_id}:${row.organization_id}`, row.id]));
    const ids = await run.placeIds('organization_members', resolved.map((r) => r.m.id), allocator);
    const inserts: Array<Insertable<OrganizationMemberTable>> = [];
    const pairs: Array<[number, number]> = [];
    for (const { m, userId, organizationId } of resolved) {
      const pair = `${userId}:${organizationId}`;
      const twin = byPair.get(pair);
      if (twin !== undefined) {
        run.warn('membership_duplicate', `membership ${m.id} (user ${userId}, organization ${organizationId})`);
        pairs.push([m.id, twin]);
        continue;
      }
      const id = ids.get(m.id) ?? m.id;
      if (id !== m.id) counts.renumbered.memberships += 1;
      const isCreator = run.newOrganizations.get(organizationId) === userId;
      inserts.push({
        id,
        user_id: userId,
        organization_id: organizationId,
        role: roleOf(run, m, isCreator),
        created_at: m.created_at ?? run.now,
        updated_at: m.updated_at ?? m.created_at ?? run.now,
        deleted_at: m.deleted_at,
      });
      if (m.deleted_at !== null) counts.memberships.removed += 1;
      byPair.set(pair, id);
      pairs.push([m.id, id]);
    }
    await run.repos.memberships.insertMany(inserts);
    await ledger.record(run.sourceKey, 'membership', pairs);
    counts.memberships.imported += inserts.length;
  }
  await ensureOwners(run);
}

/**
 * Every organization this run created has one owner: its creator (given a membership if Label Studio had none), or —
 * when the creator's account is gone in Label Studio — its oldest live member, reported.
 */
async function ensureOwners(run: ImportRun): Promise<void> {
  const organizations = [...run.newOrganizations.keys()];
  const owned = await run.repos.memberships.organizationsWithOwner(organizations);
  for (const organizationId of organizations.filter((id) => !owned.has(id))) {
    const creator = run.newOrganizations.get(organizationId) ?? null;
    if (creator !== null) {
      // An explicit id: PostgreSQL's sequence is only moved past the imported ids at the end of the import.
      const id = (await run.allocator('organization_members', MEMBERSHIPS)).next();
      await run.repos.memberships.insertMany([{ id, user_id: creator, organization_id: organizationId, role: 'OW', created_at: run.now, updated_at: run.now, deleted_at: null }]);
      continue;
    }
    const oldest = (await run.repos.memberships.listOfOrganization(organizationId)).find((m) => m.deleted_at === null);
    if (!oldest) continue;
    await run.repos.memberships.setRole(oldest.id, 'OW', run.now);
    await run.repos.organizations.update(organizationId, { created_by_id: oldest.user_id });
    run.warn('owner_assigned', `organization ${organizationId}: user ${oldest.user_id}`);
  }
}
