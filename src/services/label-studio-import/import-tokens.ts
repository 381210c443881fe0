import { createHmac } from 'node:crypto';
import type { Insertable } from 'kysely';
import { readForeignClaims, tokenHash } from '#src/auth/jwt.js';
import { safeEqual } from '#src/auth/secret-box.js';
import type { RowOf } from '#src/ports/label-studio-source.port.js';
import type { ImportRun } from '#src/services/label-studio-import/import-run.js';
import { BLACKLISTED_TOKENS, OUTSTANDING_TOKENS } from '#src/services/label-studio-import/source-tables.js';
import type { PersonalAccessTokenTable } from '#src/storage/schema.js';

type Outstanding = RowOf<typeof OUTSTANDING_TOKENS> & { id: number; token: string; jti: string };

/** HS256 over `header.payload` with the key's UTF-8 bytes: how Label Studio (simplejwt) signs its PATs. */
function signature(prefix: string, secretKey: string): string {
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(prefix).digest('base64url');
}

/**
 * Personal access tokens. Label Studio stores them without their signature, and signs them with its SECRET_KEY. With
 * that key the full token of each outstanding PAT is rebuilt here, and only its SHA-256 is stored: the token keeps
 * refreshing, while neither the key nor a usable token is kept. Blacklisted ones come over blacklisted. Without the
 * key nothing usable can be rebuilt: live PATs are counted as to be re-issued. A re-run blacklists here what was
 * blacklisted in Label Studio since.
 */
export async function importPersonalTokens(run: ImportRun): Promise<void> {
  const { counts } = run.report;
  const key = run.options.secretKey;
  const nowSeconds = Math.floor(Date.parse(run.now) / 1000);
  let keyChecked = false;
  for await (const batch of run.read('personal access tokens', OUTSTANDING_TOKENS)) {
    const rows = batch.filter((t): t is Outstanding => t.id !== null && t.token !== null && t.jti !== null);
    const revoked = new Map(
      (await run.source.rowsWhereIn(BLACKLISTED_TOKENS, 'token_id', rows.map((t) => t.id))).map((b) => [b.token_id, b.blacklisted_at ?? run.now]),
    );
    const existing = await run.repos.personalTokens.findByJtis(rows.map((t) => t.jti));
    const inserts: Array<Insertable<PersonalAccessTokenTable>> = [];
    for (const token of rows) {
      const [header = '', payload = '', stored = ''] = token.token.split('.');
      const prefix = `${header}.${payload}`;
      // The payload read whatever the header says: the whole token's hash is what identifies it here.
      const claims = header ? readForeignClaims(`${prefix}.-`) : undefined;
      // Label Studio lists only refresh tokens as PATs; anything else in the table is simplejwt's own business.
      if (claims?.token_type !== 'refresh') continue;
      const blacklistedAt = revoked.get(token.id);
      const here = existing.get(token.jti);
      if (here) {
        if (blacklistedAt !== undefined && here.blacklisted_at === null && (await run.repos.personalTokens.blacklist(here.id, blacklistedAt))) {
          counts.personalAccessTokens.revokedSince += 1;
        }
        // Imported before with another key (a wrong one): the key given now decides how the token is recognised.
        const rebuilt = key ? tokenHash(`${prefix}.${signature(prefix, key)}`) : undefined;
        if (rebuilt && here.token_hash !== null && here.token_prefix === prefix && here.token_hash !== rebuilt) {
          await run.repos.personalTokens.setTokenHash(here.id, rebuilt);
          counts.personalAccessTokens.rekeyed += 1;
        }
        continue;
      }
      const live = blacklistedAt === undefined && claims.exp > nowSeconds;
      if (!key) {
        if (live) counts.personalAccessTokens.notCarried += 1;
        continue;
      }
      if (claims.exp <= nowSeconds) {
        run.warn('pat_expired', `token ${token.id}`);
        continue;
      }
      const userId = token.user_id === null ? undefined : run.users.get(token.user_id);
      if (userId === undefined) {
        run.warn('pat_orphan', `token ${token.id}`);
        continue;
      }
      const signed = signature(prefix, key);
      // A token stored whole (plain simplejwt) proves whether the given key is Label Studio's.
      if (stored && !keyChecked) {
        keyChecked = true;
        if (!safeEqual(stored, signed)) run.warn('secret_key_mismatch', `token ${token.id}`);
      }
      inserts.push({
        user_id: userId,
        jti: token.jti,
        token_prefix: prefix,
        token_hash: tokenHash(`${prefix}.${signed}`),
        created_at: token.created_at ?? run.now,
        expires_at: token.expires_at ?? new Date(claims.exp * 1000).toISOString(),
        blacklisted_at: blacklistedAt ?? null,
      });
      if (blacklistedAt === undefined) counts.personalAccessTokens.kept += 1;
      else counts.personalAccessTokens.blacklisted += 1;
    }
    await run.repos.personalTokens.insertMany(inserts);
  }
}
