import { loadInstanceSecret } from '#src/auth/instance-secret.js';
import { deriveKey, SecretBox } from '#src/auth/secret-box.js';
import { systemClock, type Clock } from '#src/clock.js';
import type { AppConfig } from '#src/config.js';
import { createRepositories, createUnitOfWork, type Repositories } from '#src/repositories/index.js';
import { AccessService } from '#src/services/access.service.js';
import { ActivityService } from '#src/services/activity.service.js';
import { AvatarFileStore, AvatarService } from '#src/services/avatar.service.js';
import { AuthService } from '#src/services/auth.service.js';
import { BootstrapService } from '#src/services/bootstrap.service.js';
import { HotkeysService } from '#src/services/hotkeys.service.js';
import { SessionService } from '#src/services/session.service.js';
import { JwtSettingsService } from '#src/services/jwt-settings.service.js';
import { LegacyTokenService } from '#src/services/legacy-token.service.js';
import { MembershipService } from '#src/services/membership.service.js';
import { OrganizationService } from '#src/services/organization.service.js';
import { PersonalTokenService } from '#src/services/personal-token.service.js';
import { ProjectService } from '#src/services/project.service.js';
import { UserService } from '#src/services/user.service.js';
import { createDatabase, type DatabaseHandle, type DatabaseOptions } from '#src/storage/database.js';

export interface Services {
  users: UserService;
  organizations: OrganizationService;
  legacyTokens: LegacyTokenService;
  bootstrap: BootstrapService;
  sessions: SessionService;
  auth: AuthService;
  access: AccessService;
  activity: ActivityService;
  personalTokens: PersonalTokenService;
  jwtSettings: JwtSettingsService;
  avatars: AvatarService;
  hotkeys: HotkeysService;
  memberships: MembershipService;
  projects: ProjectService;
}

export interface AppContext {
  config: AppConfig;
  database: DatabaseHandle;
  repos: Repositories;
  services: Services;
  clock: Clock;
  /** Key that signs personal access tokens and access tokens (HS256). */
  jwtKey: Buffer;
  close(): Promise<void>;
}

export interface ContextOptions extends DatabaseOptions {
  clock?: Clock;
  /** Called with the migrations just applied (the CLI reports "Initializing database.."). */
  onMigrated?: (applied: string[]) => void;
}

/** Builds everything once: database (migrated), repositories, services. Tests build their own. */
export async function createContext(config: AppConfig, options: ContextOptions = {}): Promise<AppContext> {
  const secret = loadInstanceSecret(config.dataDir, config.secretKey);
  const database = await createDatabase(config.databaseUrl, options);
  try {
    const applied = await database.migrate();
    if (applied.length > 0) options.onMigrated?.(applied);
  } catch (error) {
    await database.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const repos = createRepositories(database.db);
  const transaction = createUnitOfWork(database.db);
  const legacyTokens = new LegacyTokenService(repos, new SecretBox(secret, 'legacy-token'), clock);
  const avatarFiles = new AvatarFileStore(config.dataDir);
  const users = new UserService(repos, transaction, legacyTokens, clock, avatarFiles);
  const organizations = new OrganizationService(repos, transaction, clock);
  const bootstrap = new BootstrapService(users, organizations, legacyTokens, transaction);
  const sessions = new SessionService(repos, clock, {
    maxAgeSeconds: config.sessionMaxAgeSeconds,
    inactivitySeconds: config.sessionInactivitySeconds,
  });
  const jwtKey = deriveKey(secret, 'jwt');
  const auth = new AuthService(repos, transaction, users, organizations, legacyTokens, sessions, clock, jwtKey, config);
  return {
    config,
    database,
    repos,
    services: {
      users,
      organizations,
      legacyTokens,
      bootstrap,
      sessions,
      auth,
      access: new AccessService(repos),
      activity: new ActivityService(repos, clock),
      personalTokens: new PersonalTokenService(repos, transaction, clock, jwtKey),
      jwtSettings: new JwtSettingsService(repos, clock),
      avatars: new AvatarService(repos, users, avatarFiles),
      hotkeys: new HotkeysService(repos),
      memberships: new MembershipService(repos, transaction, clock, avatarFiles),
      projects: new ProjectService(repos, transaction, clock),
    },
    clock,
    jwtKey,
    close: () => database.close(),
  };
}
