import type { SecretBox } from '#src/auth/secret-box.js';
import type { Clock } from '#src/clock.js';
import type { AppConfig } from '#src/config.js';
import type { AttemptCounter } from '#src/ports/attempt-counter.port.js';
import type { FileStore } from '#src/ports/file-store.port.js';
import type { Logger } from '#src/ports/logger.port.js';
import type { Mailer } from '#src/ports/mailer.port.js';
import type { ActorResolver } from '#src/policies/actor-resolver.js';
import type { CachedReads } from '#src/repositories/cached-reads.js';
import type { Repositories } from '#src/repositories/index.js';
import type { UnitOfWork } from '#src/services/unit-of-work.js';

/** Keys derived from the instance secret, one per purpose. */
export interface Secrets {
  /** Seals legacy API tokens (encrypted, found by keyed hash). */
  legacyTokens: SecretBox;
  /** Seals organization invite tokens the same way. */
  inviteTokens: SecretBox;
  /** Seals TOTP secrets (encrypted) and hashes recovery codes (keyed lookup hash). */
  twoFactor: SecretBox;
  /** Signs personal access tokens and access tokens (HS256). */
  jwtKey: Buffer;
  /** Keys the login counters' account scopes: the database holds no e-mail typed at the login form. */
  attemptScopeKey: Buffer;
  /** Keyed hashes of password-reset links (and of the password hash they were issued for). */
  passwordResets: SecretBox;
  /** Keyed hashes of e-mail invitation links. */
  emailInvites: SecretBox;
}

/**
 * Everything a service may reach, built once by the composition root (src/context.ts). Services take this object
 * (and the other services whose steps they compose), so a test swaps one port without touching the rest.
 */
export interface ServiceDeps {
  /** Repositories over the database itself: reads outside a use case's transaction. */
  repos: Repositories;
  uow: UnitOfWork;
  /** The hot reads of every authenticated request, through the read cache (tagged; dropped by the writes they depend on). */
  reads: CachedReads;
  /** Rows a streamed list reads and sends at a time (the database's `streamChunkRows`). */
  streamChunkRows: number;
  /** Who a user is in an organization, and what the permission table lets them do there. */
  actors: ActorResolver;
  clock: Clock;
  config: AppConfig;
  logger: Logger;
  secrets: Secrets;
  mailer: Mailer;
  files: FileStore;
  attempts: AttemptCounter;
}
