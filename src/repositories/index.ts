import type { Kysely } from 'kysely';
import type { Database } from '#src/storage/schema.js';
import type { MemberSearch } from '#src/storage/database.js';
import { ActivityLogRepository } from '#src/repositories/activity-log.repository.js';
import { AuthAttemptRepository } from '#src/repositories/auth-attempt.repository.js';
import { ContributionRepository } from '#src/repositories/contribution.repository.js';
import { InvitationRepository } from '#src/repositories/invitation.repository.js';
import { HotkeyPreferenceRepository } from '#src/repositories/hotkey-preference.repository.js';
import { LabelStudioImportRepository } from '#src/repositories/label-studio-import.repository.js';
import { LegacyTokenRepository } from '#src/repositories/legacy-token.repository.js';
import { MailOutboxRepository } from '#src/repositories/mail-outbox.repository.js';
import { MembershipRepository } from '#src/repositories/membership.repository.js';
import type { ChangeSink } from '#src/repositories/read-cache.js';
import { OrganizationPermissionRepository } from '#src/repositories/organization-permission.repository.js';
import { OrganizationRepository } from '#src/repositories/organization.repository.js';
import { PasswordResetRepository } from '#src/repositories/password-reset.repository.js';
import { PersonalAccessTokenRepository } from '#src/repositories/personal-access-token.repository.js';
import { ProjectRepository } from '#src/repositories/project.repository.js';
import { SessionPolicyRepository } from '#src/repositories/session-policy.repository.js';
import { SessionRepository } from '#src/repositories/session.repository.js';
import { StoredFileRepository } from '#src/repositories/stored-file.repository.js';
import { TwoFactorRepository } from '#src/repositories/two-factor.repository.js';
import { UserDirectoryRepository } from '#src/repositories/user-directory.repository.js';
import { UserRepository } from '#src/repositories/user.repository.js';

export interface Repositories {
  users: UserRepository;
  organizations: OrganizationRepository;
  memberships: MembershipRepository;
  legacyTokens: LegacyTokenRepository;
  sessions: SessionRepository;
  sessionPolicies: SessionPolicyRepository;
  personalTokens: PersonalAccessTokenRepository;
  userDirectory: UserDirectoryRepository;
  hotkeyPreferences: HotkeyPreferenceRepository;
  projects: ProjectRepository;
  contributions: ContributionRepository;
  mailOutbox: MailOutboxRepository;
  storedFiles: StoredFileRepository;
  authAttempts: AuthAttemptRepository;
  activityLog: ActivityLogRepository;
  permissionOverrides: OrganizationPermissionRepository;
  labelStudioImport: LabelStudioImportRepository;
  passwordResets: PasswordResetRepository;
  invitations: InvitationRepository;
  twoFactor: TwoFactorRepository;
}

export interface RepositoryOptions {
  /** Hears the cache tags each write touches (the unit of work collects them; see read-cache.ts). */
  changed?: ChangeSink;
  /** The database's part in the member search (`DatabaseHandle.memberSearch`). */
  memberSearch?: MemberSearch;
}

/** Repositories over a database handle or a transaction (the unit of work binds them to its transaction). */
export function createRepositories(db: Kysely<Database>, options: RepositoryOptions = {}): Repositories {
  const { changed } = options;
  return {
    users: new UserRepository(db, changed),
    organizations: new OrganizationRepository(db, changed),
    memberships: new MembershipRepository(db, changed, options.memberSearch),
    legacyTokens: new LegacyTokenRepository(db, changed),
    sessions: new SessionRepository(db, changed),
    sessionPolicies: new SessionPolicyRepository(db, changed),
    personalTokens: new PersonalAccessTokenRepository(db),
    userDirectory: new UserDirectoryRepository(db),
    hotkeyPreferences: new HotkeyPreferenceRepository(db),
    projects: new ProjectRepository(db),
    contributions: new ContributionRepository(db),
    mailOutbox: new MailOutboxRepository(db),
    storedFiles: new StoredFileRepository(db),
    authAttempts: new AuthAttemptRepository(db),
    activityLog: new ActivityLogRepository(db),
    permissionOverrides: new OrganizationPermissionRepository(db, changed),
    labelStudioImport: new LabelStudioImportRepository(db),
    passwordResets: new PasswordResetRepository(db),
    invitations: new InvitationRepository(db),
    twoFactor: new TwoFactorRepository(db),
  };
}
