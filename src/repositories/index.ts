import type { Kysely } from 'kysely';
import type { Database } from '#src/storage/schema.js';
import { ActivityLogRepository } from '#src/repositories/activity-log.repository.js';
import { AuthAttemptRepository } from '#src/repositories/auth-attempt.repository.js';
import { ContributionRepository } from '#src/repositories/contribution.repository.js';
import { InvitationRepository } from '#src/repositories/invitation.repository.js';
import { HotkeyPreferenceRepository } from '#src/repositories/hotkey-preference.repository.js';
import { LabelStudioImportRepository } from '#src/repositories/label-studio-import.repository.js';
import { LegacyTokenRepository } from '#src/repositories/legacy-token.repository.js';
import { MailOutboxRepository } from '#src/repositories/mail-outbox.repository.js';
import { MembershipRepository } from '#src/repositories/membership.repository.js';
import { OrganizationPermissionRepository } from '#src/repositories/organization-permission.repository.js';
import { OrganizationRepository } from '#src/repositories/organization.repository.js';
import { PasswordResetRepository } from '#src/repositories/password-reset.repository.js';
import { PersonalAccessTokenRepository } from '#src/repositories/personal-access-token.repository.js';
import { ProjectRepository } from '#src/repositories/project.repository.js';
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

/** Repositories over a database handle or a transaction (the unit of work binds them to its transaction). */
export function createRepositories(db: Kysely<Database>): Repositories {
  return {
    users: new UserRepository(db),
    organizations: new OrganizationRepository(db),
    memberships: new MembershipRepository(db),
    legacyTokens: new LegacyTokenRepository(db),
    sessions: new SessionRepository(db),
    personalTokens: new PersonalAccessTokenRepository(db),
    userDirectory: new UserDirectoryRepository(db),
    hotkeyPreferences: new HotkeyPreferenceRepository(db),
    projects: new ProjectRepository(db),
    contributions: new ContributionRepository(db),
    mailOutbox: new MailOutboxRepository(db),
    storedFiles: new StoredFileRepository(db),
    authAttempts: new AuthAttemptRepository(db),
    activityLog: new ActivityLogRepository(db),
    permissionOverrides: new OrganizationPermissionRepository(db),
    labelStudioImport: new LabelStudioImportRepository(db),
    passwordResets: new PasswordResetRepository(db),
    invitations: new InvitationRepository(db),
    twoFactor: new TwoFactorRepository(db),
  };
}
