import { join } from 'node:path';
import { DatabaseAttemptCounter } from '#src/adapters/database-attempt-counter.adapter.js';
import { DatabaseFileStore } from '#src/adapters/database-file-store.adapter.js';
import { LocalFileStore } from '#src/adapters/local-file-store.adapter.js';
import { OutboxMailer } from '#src/adapters/outbox-mailer.adapter.js';
import { SmtpMailTransport } from '#src/adapters/smtp-transport.adapter.js';
import { loadInstanceSecret } from '#src/auth/instance-secret.js';
import { deriveKey, SecretBox } from '#src/auth/secret-box.js';
import { systemClock, type Clock } from '#src/clock.js';
import type { AppConfig } from '#src/config.js';
import { stderrLogger, type Logger } from '#src/ports/logger.port.js';
import type { MailTransport } from '#src/ports/mailer.port.js';
import { systemContext } from '#src/policies/action-context.js';
import { ActorResolver } from '#src/policies/actor-resolver.js';
import { CachedReads } from '#src/repositories/cached-reads.js';
import { createRepositories, type Repositories } from '#src/repositories/index.js';
import { ReadCache } from '#src/repositories/read-cache.js';
import { AccountService } from '#src/services/account.service.js';
import { ActivityLogService } from '#src/services/activity-log.service.js';
import { ActivityService } from '#src/services/activity.service.js';
import { AuthService } from '#src/services/auth.service.js';
import { AvatarService } from '#src/services/avatar.service.js';
import { BootstrapService } from '#src/services/bootstrap.service.js';
import { HotkeysService } from '#src/services/hotkeys.service.js';
import { InvitationAcceptanceService } from '#src/services/invitation-acceptance.service.js';
import { InvitationService } from '#src/services/invitation.service.js';
import { JwtSettingsService } from '#src/services/jwt-settings.service.js';
import { LegacyTokenService } from '#src/services/legacy-token.service.js';
import { LoginThrottleService } from '#src/services/login-throttle.service.js';
import { MemberAdminService } from '#src/services/member-admin.service.js';
import { MemberLifecycleService } from '#src/services/member-lifecycle.service.js';
import { MembershipService } from '#src/services/membership.service.js';
import { OperatorService } from '#src/services/operator.service.js';
import { PasswordChangeService } from '#src/services/password-change.service.js';
import { PermissionService } from '#src/services/permission.service.js';
import { OrganizationService } from '#src/services/organization.service.js';
import { PasswordResetService } from '#src/services/password-reset.service.js';
import { PersonalTokenService } from '#src/services/personal-token.service.js';
import { ProfileService } from '#src/services/profile.service.js';
import { ProjectService } from '#src/services/project.service.js';
import { ProxyAuthService } from '#src/services/proxy-auth.service.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import { SessionPolicyService } from '#src/services/session-policy.service.js';
import { SessionService } from '#src/services/session.service.js';
import { TwoFactorAdminService } from '#src/services/two-factor-admin.service.js';
import { TwoFactorLoginService } from '#src/services/two-factor-login.service.js';
import { TwoFactorService } from '#src/services/two-factor.service.js';
import { createUnitOfWork } from '#src/services/unit-of-work.js';
import { createDatabase, type DatabaseHandle, type DatabaseOptions } from '#src/storage/database.js';

export interface Services {
  accounts: AccountService;
  profiles: ProfileService;
  members: MemberAdminService;
  organizations: OrganizationService;
  memberships: MembershipService;
  lifecycle: MemberLifecycleService;
  permissions: PermissionService;
  legacyTokens: LegacyTokenService;
  personalTokens: PersonalTokenService;
  jwtSettings: JwtSettingsService;
  bootstrap: BootstrapService;
  sessions: SessionService;
  sessionPolicies: SessionPolicyService;
  loginThrottle: LoginThrottleService;
  passwordChange: PasswordChangeService;
  proxyAuth: ProxyAuthService;
  auth: AuthService;
  activity: ActivityService;
  activityLog: ActivityLogService;
  avatars: AvatarService;
  hotkeys: HotkeysService;
  projects: ProjectService;
  /** The operator at the command line (`label-studio users …`, `audit …`). */
  operator: OperatorService;
  passwordResets: PasswordResetService;
  invitations: InvitationService;
  invitationAcceptance: InvitationAcceptanceService;
  /** Two-factor sign-in: one's own enrolment, the login's second step, the organization's requirement and resets. */
  twoFactor: TwoFactorService;
  twoFactorLogin: TwoFactorLoginService;
  twoFactorAdmin: TwoFactorAdminService;
}

export interface AppContext {
  config: AppConfig;
  database: DatabaseHandle;
  repos: Repositories;
  /** The ports and the unit of work every service was built with. */
  deps: ServiceDeps;
  services: Services;
  mailer: OutboxMailer;
  clock: Clock;
  /**
   * Starts trusting the read cache: listens to the database's change feed (servers do; one-shot commands read the
   * database every time and need no listener).
   */
  startCaching(): Promise<void>;
  close(): Promise<void>;
}

export interface ContextOptions extends DatabaseOptions {
  clock?: Clock;
  logger?: Logger;
  /**
   * How mail leaves this server (default: SMTP when EMAIL_HOST is configured); without one, features that need mail
   * say to ask an administrator.
   */
  mailTransport?: MailTransport;
  /** Called with the migrations just applied (the CLI reports "Initializing database.."). */
  onMigrated?: (applied: string[]) => void;
}

function buildServices(deps: ServiceDeps): Services {
  const legacyTokens = new LegacyTokenService(deps);
  const accounts = new AccountService(deps, legacyTokens);
  const organizations = new OrganizationService(deps);
  const sessionPolicies = new SessionPolicyService(deps);
  const sessions = new SessionService(deps, sessionPolicies);
  const loginThrottle = new LoginThrottleService(deps);
  const profiles = new ProfileService(deps);
  const memberships = new MembershipService(deps);
  const members = new MemberAdminService(deps, accounts, profiles);
  const lifecycle = new MemberLifecycleService(deps, memberships);
  const activityLog = new ActivityLogService(deps);
  const twoFactor = new TwoFactorService(deps, accounts);
  const twoFactorLogin = new TwoFactorLoginService(deps, twoFactor);
  return {
    accounts,
    profiles,
    members,
    organizations,
    memberships,
    lifecycle,
    permissions: new PermissionService(deps),
    legacyTokens,
    personalTokens: new PersonalTokenService(deps),
    jwtSettings: new JwtSettingsService(deps),
    bootstrap: new BootstrapService(deps, { accounts, organizations, legacyTokens }),
    sessions,
    sessionPolicies,
    loginThrottle,
    passwordChange: new PasswordChangeService(deps, { accounts, sessions, throttle: loginThrottle }),
    proxyAuth: new ProxyAuthService(deps),
    auth: new AuthService(deps, { accounts, organizations, sessions, legacyTokens, loginThrottle, twoFactorLogin }),
    activity: new ActivityService(deps),
    activityLog,
    avatars: new AvatarService(deps, profiles),
    hotkeys: new HotkeysService(deps),
    projects: new ProjectService(deps),
    operator: new OperatorService(deps, { accounts, members, lifecycle, activityLog }),
    passwordResets: new PasswordResetService(deps, accounts, loginThrottle),
    invitations: new InvitationService(deps),
    invitationAcceptance: new InvitationAcceptanceService(deps, accounts, sessions),
    twoFactor,
    twoFactorLogin,
    twoFactorAdmin: new TwoFactorAdminService(deps),
  };
}

/** The composition root: database (migrated), ports, services — built once; tests build their own. */
export async function createContext(config: AppConfig, options: ContextOptions = {}): Promise<AppContext> {
  const secret = loadInstanceSecret(config.dataDir, config.security.secretKey);
  const database = await createDatabase(config.database.url, { ...options, poolSize: config.database.poolSize });
  try {
    const applied = await database.migrate();
    if (applied.length > 0) options.onMigrated?.(applied);
  } catch (error) {
    await database.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const cache = new ReadCache(database.changes);
  const logger = options.logger ?? stderrLogger;
  // A write outside a unit of work (housekeeping, tests) has already committed when its repository names the tags.
  const changedNow = (...tags: string[]): void => {
    cache.invalidate(tags);
    database.changes.publish(database.db, tags).catch((error: unknown) => logger.error({ err: error }, 'announcing a change failed'));
  };
  const repos = createRepositories(database.db, { changed: changedNow, memberSearch: database.memberSearch });
  const reads = new CachedReads(repos, cache);
  const { smtp } = config.mail;
  const transport = options.mailTransport ?? (smtp ? new SmtpMailTransport(smtp) : undefined);
  const mailer = new OutboxMailer(repos, transport, config.mail.from, clock, logger);
  const deps: ServiceDeps = {
    repos,
    uow: createUnitOfWork(database.db, database, logger, clock, cache),
    reads,
    streamChunkRows: database.streamChunkRows,
    actors: new ActorResolver(reads),
    clock,
    config,
    logger,
    secrets: {
      legacyTokens: new SecretBox(secret, 'legacy-token'),
      inviteTokens: new SecretBox(secret, 'invite-token'),
      twoFactor: new SecretBox(secret, 'two-factor'),
      jwtKey: deriveKey(secret, 'jwt'),
      attemptScopeKey: deriveKey(secret, 'attempt-scope'),
      passwordResets: new SecretBox(secret, 'password-reset'),
      emailInvites: new SecretBox(secret, 'email-invite'),
    },
    mailer,
    files:
      config.files.store === 'database'
        ? new DatabaseFileStore(repos, clock)
        : new LocalFileStore(join(config.dataDir, 'media', 'avatars')),
    attempts: new DatabaseAttemptCounter(repos, clock),
  };
  const services = buildServices(deps);
  await services.organizations.sealPlainInviteTokens(systemContext('seal invite tokens'));
  return {
    config,
    database,
    repos,
    deps,
    services,
    mailer,
    clock,
    startCaching: () => database.changes.subscribe({ onTags: (tags) => cache.invalidate(tags), onReset: () => cache.clear() }),
    close: async () => {
      await mailer.stop();
      await database.close();
    },
  };
}
