import { nowIso } from '#src/clock.js';
import { diffFields } from '#src/domain/audit.js';
import { AppError } from '#src/errors.js';
import type { MemberContext } from '#src/policies/action-context.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { OrganizationRow } from '#src/storage/schema.js';

/** An organization's API token settings (Label Studio's `JWTSettings`, kept as columns of the organization). */
export interface TokenSettings {
  apiTokensEnabled: boolean;
  legacyApiTokensEnabled: boolean;
  /** Lifetime of new PATs: 73000 days (200 years) unless an import carried another value over; not writable here. */
  apiTokenTtlDays: number;
}

export interface TokenSettingsChanges {
  apiTokensEnabled?: boolean;
  legacyApiTokensEnabled?: boolean;
}

function settingsOf(org: OrganizationRow): TokenSettings {
  return {
    apiTokensEnabled: org.api_tokens_enabled,
    legacyApiTokensEnabled: org.legacy_api_tokens_enabled,
    apiTokenTtlDays: org.api_token_ttl_days,
  };
}

/**
 * Reads and changes whether an organization accepts personal access tokens and legacy keys. Both are checked on
 * every request by the auth layer, so a change takes effect at once.
 */
export class JwtSettingsService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The settings of the actor's organization. */
  async get(ctx: MemberContext): Promise<TokenSettings> {
    return settingsOf(await this.organization(ctx.actor.organizationId));
  }

  /** Applies the given changes; omitted settings keep their values. */
  async update(ctx: MemberContext, changes: TokenSettingsChanges): Promise<TokenSettings> {
    const organizationId = ctx.actor.organizationId;
    const org = await this.organization(organizationId);
    const next = {
      api_tokens_enabled: changes.apiTokensEnabled ?? org.api_tokens_enabled,
      legacy_api_tokens_enabled: changes.legacyApiTokensEnabled ?? org.legacy_api_tokens_enabled,
    };
    await this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.organizations.update(organizationId, { ...next, updated_at: nowIso(this.deps.clock) });
      const changes = diffFields(org, next);
      if (Object.keys(changes).length > 0) {
        await tx.record({ action: 'organization.token_settings_changed', target: { type: 'organization', id: organizationId }, details: { changes } });
      }
    });
    return settingsOf({ ...org, ...next });
  }

  private async organization(id: number): Promise<OrganizationRow> {
    const org = await this.deps.repos.organizations.findById(id);
    if (!org) throw AppError.notFound();
    return org;
  }
}
