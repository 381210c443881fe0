import { Type } from '@sinclair/typebox';

/** Longest token we read from a request body: ours are ~250 characters; anything far longer is not one of ours. */
const TOKEN_MAX_LENGTH = 2048;

/** A PAT as listed: `header.payload` only, so a listing never exposes a usable token. */
export const PersonalTokenListItemSchema = Type.Object({
  token: Type.String({ description: 'The token without its signature (`header.payload`)' }),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' }),
});

export const PersonalTokenListSchema = Type.Array(PersonalTokenListItemSchema);

/** A PAT just created: the only time its full value is shown. */
export const PersonalTokenCreatedSchema = Type.Object({
  token: Type.String({ description: 'The full personal access token (a JWT); shown only once' }),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' }),
});

export const RefreshBodySchema = Type.Object({
  refresh: Type.String({ minLength: 1, maxLength: TOKEN_MAX_LENGTH, description: 'A personal access token' }),
});

export const BlacklistBodySchema = Type.Object({
  refresh: Type.String({
    minLength: 1,
    maxLength: TOKEN_MAX_LENGTH,
    description: 'A personal access token, in full or as its listed `header.payload` form',
  }),
});

export const AccessTokenSchema = Type.Object({
  access: Type.String({ description: 'An access token (JWT) valid for five minutes; send it as `Authorization: Bearer …`' }),
});

export const RotatedTokenSchema = Type.Object({
  refresh: Type.String({ description: 'The new personal access token' }),
});

/** An organization's token settings, as the SDK's `LsejwtSettings` reads them. */
export const JwtSettingsSchema = Type.Object({
  api_tokens_enabled: Type.Boolean(),
  legacy_api_tokens_enabled: Type.Boolean(),
  api_token_ttl_days: Type.Integer({ description: 'Always 73000 (200 years); not configurable' }),
});

export const JwtSettingsUpdateSchema = Type.Object({
  api_tokens_enabled: Type.Optional(Type.Boolean()),
  legacy_api_tokens_enabled: Type.Optional(Type.Boolean()),
  // The SDK always sends it; Label Studio Community ignores it, and so do we (whatever its value).
  api_token_ttl_days: Type.Optional(Type.Unknown({ description: 'Accepted and ignored' })),
});
