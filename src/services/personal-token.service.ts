import { encodeJwt, newClaims, readForeignClaims, readUnverifiedClaims, tokenHash, tokenPrefix, verifyJwt, type JwtClaims } from '#src/auth/jwt.js';
import { safeEqual } from '#src/auth/secret-box.js';
import { AppError } from '#src/errors.js';
import type { ActionContext, MemberContext } from '#src/policies/action-context.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { Tx } from '#src/services/unit-of-work.js';
import type { OrganizationRow, PersonalAccessTokenRow, UserRow } from '#src/storage/schema.js';

/** Days a personal access token lives by default: Label Studio's 200 years (its `api_token_ttl_days` default). */
export const PAT_TTL_DAYS = 73000;
const DAY_SECONDS = 24 * 60 * 60;
/** Access tokens live five minutes (simplejwt's default); clients refresh them from their PAT. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 5 * 60;

export const ALREADY_HAVE_TOKEN_MESSAGE = 'You already have a valid token. Please revoke it before creating a new one.';
export const INVALID_OR_BLACKLISTED_MESSAGE = 'Token is invalid or already blacklisted.';
export const TOKENS_DISABLED_MESSAGE = 'Personal access tokens are disabled for this organization.';
export const NO_ACTIVE_ACCOUNT_MESSAGE = 'No active account found for the given token.';

/** A freshly issued PAT: the full JWT (shown once) and its stored row. */
export interface IssuedToken {
  token: string;
  row: PersonalAccessTokenRow;
}

const refreshRefused = (detail: string) => new AppError('auth.token_refused', detail);

/** A complete token checked against its stored row: signed with our key, or recognised by hash (imported). */
interface KnownToken {
  claims: JwtClaims;
  row: PersonalAccessTokenRow;
}

/**
 * Personal access tokens (Label Studio's long-lived refresh JWTs) and the short access tokens minted from them.
 * Only `header.payload` of a PAT is stored, so a database leak yields no usable token.
 */
export class PersonalTokenService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The caller's usable PATs (not expired, not blacklisted). */
  listLive(ctx: MemberContext): Promise<PersonalAccessTokenRow[]> {
    return this.deps.repos.personalTokens.listLive(ctx.actor.user.id, this.deps.clock.now().toISOString());
  }

  /** Issues the caller's PAT; a user holds at most one live PAT at a time (409 otherwise). */
  async create(ctx: MemberContext): Promise<IssuedToken> {
    const user = ctx.actor.user;
    const ttlDays = await this.requireEnabled(user);
    return this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.users.lock(user.id);
      const live = await tx.repos.personalTokens.listLive(user.id, this.deps.clock.now().toISOString());
      if (live.length > 0) throw new AppError('token.already_exists', ALREADY_HAVE_TOKEN_MESSAGE);
      const issued = await this.issue(tx, user.id, ttlDays);
      await tx.record({ action: 'token.created', target: { type: 'token', id: issued.row.id } });
      return issued;
    });
  }

  /**
   * Exchanges a PAT for a five-minute access token. Anything but a live PAT of an active member whose organization
   * allows PATs is refused with 401, so the SDK's client-side refresh fails loudly.
   */
  async refresh(token: string): Promise<string> {
    const { repos, secrets } = this.deps;
    const own = verifyJwt(token, secrets.jwtKey, this.nowSeconds());
    if (own && own.token_type !== 'refresh') throw refreshRefused('Token has wrong type');
    const known = await this.known(token);
    if (!known) throw refreshRefused('Token is invalid or expired');
    if (known.row.blacklisted_at !== null) throw refreshRefused('Token is blacklisted');
    const user = await repos.users.findById(known.row.user_id);
    if (!user?.is_active) throw refreshRefused(NO_ACTIVE_ACCOUNT_MESSAGE);
    // A deactivated, pending or removed member gets no access token, whatever their PAT.
    await this.deps.actors.inActiveOrganization(user).catch((error: unknown) => {
      throw error instanceof AppError ? refreshRefused(error.detail) : error;
    });
    if (!(await this.organizationAllowing(user))) throw refreshRefused(TOKENS_DISABLED_MESSAGE);
    return encodeJwt(newClaims('access', user.id, this.nowSeconds(), ACCESS_TOKEN_LIFETIME_SECONDS), secrets.jwtKey);
  }

  /**
   * The stored row of a complete, unexpired refresh token, blacklisted or not. Our own tokens verify with the instance
   * key; tokens imported from Label Studio were signed with its SECRET_KEY, which is not kept: they are recognised by
   * the SHA-256 of the whole token, computed at import while the key was at hand. An unknown jti is a token never
   * issued here (or whose row was deleted with its user).
   */
  private async known(token: string): Promise<KnownToken | undefined> {
    const now = this.nowSeconds();
    const own = verifyJwt(token, this.deps.secrets.jwtKey, now);
    const claims = own ?? readForeignClaims(token);
    if (claims?.token_type !== 'refresh' || claims.exp <= now) return undefined;
    const row = await this.deps.repos.personalTokens.findByJti(claims.jti);
    if (!row || row.token_prefix !== tokenPrefix(token)) return undefined;
    // The row says which way the token is checked; an own-signed token never matches an imported row, nor the reverse.
    const genuine = row.token_hash === null ? own !== undefined && row.user_id === claims.user_id : safeEqual(tokenHash(token), row.token_hash);
    return genuine ? { claims, row } : undefined;
  }

  /**
   * Revokes a PAT given in full or as its listed `header.payload` form (Label Studio accepts both, without
   * credentials). The truncated form is matched by jti and stored prefix; a full token must be genuine (signed with
   * our key, or an imported one recognised by its hash).
   */
  async blacklist(ctx: ActionContext, token: string): Promise<void> {
    const { repos, clock } = this.deps;
    const claims = token.split('.').length === 2 ? readUnverifiedClaims(token) : undefined;
    const row = claims ? (claims.token_type === 'refresh' ? await repos.personalTokens.findByJti(claims.jti) : undefined) : (await this.known(token))?.row;
    const owner = row ? await repos.users.findById(row.user_id) : undefined;
    const revoked =
      row !== undefined &&
      row.token_prefix === tokenPrefix(token) &&
      (await this.deps.uow.run(ctx, async (tx) => {
        const done = await tx.repos.personalTokens.blacklist(row.id, clock.now().toISOString());
        // Revoking needs no credentials: the token's owner is the one it is recorded against.
        if (done && owner) {
          await tx.record({ action: 'token.revoked', target: { type: 'token', id: row.id }, actor: ctx.principal ? undefined : { id: owner.id, email: owner.email }, organizationId: owner.active_organization_id });
        }
        return done;
      }));
    if (!revoked) throw new AppError('token.not_found', INVALID_OR_BLACKLISTED_MESSAGE);
  }

  /** Replaces one of the caller's live PATs with a new one, in one transaction. */
  async rotate(ctx: MemberContext, token: string): Promise<IssuedToken> {
    const user = ctx.actor.user;
    // A refresh token we signed, or one imported and recognised; anything else is not a refresh token at all.
    const own = verifyJwt(token, this.deps.secrets.jwtKey, this.nowSeconds());
    const jti = (await this.known(token))?.claims.jti ?? (own?.token_type === 'refresh' ? own.jti : undefined);
    if (jti === undefined) throw AppError.validation({ refresh: ['Invalid refresh token'] });
    const ttlDays = await this.requireEnabled(user);
    return this.deps.uow.run(ctx, async (tx) => {
      await tx.repos.users.lock(user.id);
      const row = await tx.repos.personalTokens.findByJti(jti);
      // Someone else's token is reported like a revoked one: rotation must not reveal other users' tokens.
      const revoked =
        row !== undefined &&
        row.user_id === user.id &&
        row.token_prefix === tokenPrefix(token) &&
        (await tx.repos.personalTokens.blacklist(row.id, this.deps.clock.now().toISOString()));
      if (!revoked) throw new AppError('token.invalid', INVALID_OR_BLACKLISTED_MESSAGE);
      const issued = await this.issue(tx, user.id, ttlDays);
      await tx.record({ action: 'token.rotated', target: { type: 'token', id: issued.row.id }, details: { replaced: row.id } });
      return issued;
    });
  }

  /** Issues a PAT living `ttlDays` (the organization's `api_token_ttl_days`, 200 years unless imported otherwise). */
  private async issue(tx: Tx, userId: number, ttlDays: number): Promise<IssuedToken> {
    const now = this.deps.clock.now();
    const claims: JwtClaims = newClaims('refresh', userId, Math.floor(now.getTime() / 1000), ttlDays * DAY_SECONDS);
    const token = encodeJwt(claims, this.deps.secrets.jwtKey);
    const row = await tx.repos.personalTokens.insert({
      user_id: userId,
      jti: claims.jti,
      token_prefix: tokenPrefix(token),
      created_at: now.toISOString(),
      expires_at: new Date(claims.exp * 1000).toISOString(),
      blacklisted_at: null,
    });
    return { token, row };
  }

  /** The user's active organization when it accepts PATs. */
  private async organizationAllowing(user: UserRow): Promise<OrganizationRow | undefined> {
    if (user.active_organization_id === null) return undefined;
    const org = await this.deps.repos.organizations.findById(user.active_organization_id);
    return org?.api_tokens_enabled === true ? org : undefined;
  }

  /** Refuses when the organization does not accept PATs; otherwise the lifetime of its new PATs, in days. */
  private async requireEnabled(user: UserRow): Promise<number> {
    const org = await this.organizationAllowing(user);
    if (!org) throw AppError.forbidden(TOKENS_DISABLED_MESSAGE, 'token.disabled');
    return org.api_token_ttl_days;
  }

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now().getTime() / 1000);
  }
}
