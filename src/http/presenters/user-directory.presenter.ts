import type { DirectoryEntry } from '#src/repositories/user-directory.repository.js';
import { presentUser, type UserJson } from '#src/http/presenters/user.presenter.js';

/**
 * A user as their organization sees them. Removed members are masked ("Deleted User"); we also hide which
 * organization they moved on to (Label Studio shows its title and owner e-mail).
 */
export function presentDirectoryEntry(entry: DirectoryEntry, host: string): UserJson {
  const masked = entry.membershipDeletedAt !== null;
  const user = masked ? { ...entry.user, active_organization_id: null } : entry.user;
  const meta = entry.activeOrganization;
  return presentUser(user, {
    masked,
    host,
    organizationMeta: masked || !meta ? undefined : { title: meta.title, email: meta.ownerEmail },
  });
}
