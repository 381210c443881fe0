import type { Insertable } from 'kysely';
import { randomAlphanumeric } from '#src/auth/random-token.js';
import type { RowOf } from '#src/ports/label-studio-source.port.js';
import type { ImportRun } from '#src/services/label-studio-import/import-run.js';
import { ORGANIZATIONS, TOKEN_SETTINGS } from '#src/services/label-studio-import/source-tables.js';
import { defaultTokenSettings } from '#src/services/label-studio-import/source-version.js';
import { INVITE_ROLES } from '#src/services/organization.service.js';
import type { OrganizationTable, RoleCode } from '#src/storage/schema.js';

type SourceOrganization = RowOf<typeof ORGANIZATIONS> & { id: number };

/** Organizations read before the users (whose active organization points at them), written after (they point back). */
export interface OrganizationPlan {
  fresh: SourceOrganization[];
}

/** Decides where each organization goes (ids kept where free) without writing: users are imported in between. */
export async function planOrganizations(run: ImportRun): Promise<OrganizationPlan> {
  const ledger = run.repos.labelStudioImport;
  const previous = await ledger.allTargets(run.sourceKey, 'organization');
  for (const [source, target] of previous) run.organizations.set(source, target);
  const allocator = await run.allocator('organizations', ORGANIZATIONS);
  const fresh: SourceOrganization[] = [];
  for await (const batch of run.source.batches(ORGANIZATIONS, run.batchSize)) {
    const rows = batch.filter((o): o is SourceOrganization => o.id !== null && !previous.has(o.id));
    run.report.counts.organizations.alreadyImported += batch.length - rows.length;
    const ids = await run.placeIds('organizations', rows.map((o) => o.id), allocator);
    for (const org of rows) {
      const id = ids.get(org.id) ?? org.id;
      if (id !== org.id) run.report.counts.renumbered.organizations += 1;
      run.organizations.set(org.id, id);
      fresh.push(org);
    }
  }
  return { fresh };
}

/** The invite-link role: the source's own (Enterprise), else the role imported members get, if an invite may give it. */
function inviteRole(run: ImportRun, org: SourceOrganization): RoleCode {
  const own = org.default_role?.trim().toUpperCase();
  if (own && (INVITE_ROLES as readonly string[]).includes(own)) return own as RoleCode;
  return INVITE_ROLES.includes(run.options.defaultRole) ? run.options.defaultRole : 'AN';
}

/**
 * Writes the planned organizations: title, contact, creator, the invite token sealed (the old invite link keeps
 * working) and the token settings (`jwt_auth_jwtsettings`, or the defaults of the Label Studio version without a row).
 */
export async function importOrganizations(run: ImportRun, plan: OrganizationPlan): Promise<void> {
  const label = 'organizations';
  run.options.progress?.start(label, plan.fresh.length);
  const defaults = defaultTokenSettings(run.source.shape);
  const settings = new Map(
    (await run.source.rowsWhereIn(TOKEN_SETTINGS, 'organization_id', plan.fresh.map((o) => o.id))).map((s) => [s.organization_id, s]),
  );
  const box = run.deps.secrets.inviteTokens;
  const wanted = plan.fresh.map((org) => (org.token ? box.lookupHash(org.token) : ''));
  const inUse = await run.repos.organizations.inviteLookupsInUse(wanted.filter(Boolean));
  const rows: Array<Insertable<OrganizationTable>> = plan.fresh.map((org) => {
    const id = run.organizations.get(org.id) ?? org.id;
    let token = org.token ?? '';
    if (!token || inUse.has(box.lookupHash(token))) {
      run.warn('invite_token_new', `organization ${org.id}`);
      token = randomAlphanumeric(40);
    }
    inUse.add(box.lookupHash(token));
    const own = settings.get(org.id);
    const creator = org.created_by_id === null ? null : (run.users.get(org.created_by_id) ?? null);
    run.newOrganizations.set(id, creator);
    return {
      id,
      title: run.fit(org.title, 1000, `organization ${org.id} title`),
      invite_lookup_hash: box.lookupHash(token),
      invite_ciphertext: box.encrypt(token),
      created_by_id: creator,
      contact_info: org.contact_info ? run.fit(org.contact_info, 254, `organization ${org.id} contact`) : null,
      allow_unsafe_instruction_tags: org.allow_unsafe_instruction_tags ?? false,
      api_tokens_enabled: own?.api_tokens_enabled ?? defaults.apiTokensEnabled,
      legacy_api_tokens_enabled: own?.legacy_api_tokens_enabled ?? defaults.legacyApiTokensEnabled,
      api_token_ttl_days: own?.api_token_ttl_days && own.api_token_ttl_days > 0 ? own.api_token_ttl_days : 73000,
      default_role: inviteRole(run, org),
      created_at: org.created_at ?? run.now,
      updated_at: org.updated_at ?? org.created_at ?? run.now,
    };
  });
  await run.repos.organizations.insertMany(rows);
  await run.repos.labelStudioImport.record(
    run.sourceKey,
    'organization',
    plan.fresh.map((org) => [org.id, run.organizations.get(org.id) ?? org.id] as const),
  );
  run.report.counts.organizations.imported += rows.length;
  run.options.progress?.advance(label, rows.length);
  run.options.progress?.finish(label);
}
