import type { Static } from '@sinclair/typebox';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import type { JwtSettingsSchema, PersonalTokenListItemSchema } from '#src/http/schemas/token.schema.js';
import type { TokenSettings } from '#src/services/jwt-settings.service.js';
import type { PersonalAccessTokenRow } from '#src/storage/schema.js';

/** A personal access token with its dates: in full right after creation, as `header.payload` in lists. */
export function presentToken(token: string, row: PersonalAccessTokenRow): Static<typeof PersonalTokenListItemSchema> {
  return { token, created_at: presentDateTime(row.created_at), expires_at: presentDateTime(row.expires_at) };
}

export function presentTokenSettings(settings: TokenSettings): Static<typeof JwtSettingsSchema> {
  return {
    api_tokens_enabled: settings.apiTokensEnabled,
    legacy_api_tokens_enabled: settings.legacyApiTokensEnabled,
    api_token_ttl_days: settings.apiTokenTtlDays,
  };
}
