import { ALL_ROLES, ROLE_LABELS, ROLE_PURPOSES } from '../../lib/roles';
import { Link } from '../../lib/router';
import { useSession } from '../../session';

/** Phrases for what the viewer may do, each shown only when whoami lists its permission. */
const ABILITIES: [permission: string, phrase: string][] = [
  ['organizations.invite', 'invite people'],
  ['members.change_role', 'change roles, approve sign-ups and deactivate members'],
  ['members.delete', 'remove members'],
  ['users.delete', 'delete accounts'],
  ['permissions.change', 'choose which roles hold each permission'],
  ['activity_log.view', 'read the activity log'],
  ['organizations.transfer', 'hand the organization to another member'],
];

/** What the roles are for (names only) and what the viewer may do here (from the server), for empty lists. */
export function RoleGuide() {
  const { can, role } = useSession();
  const abilities = ABILITIES.filter(([permission]) => can(permission)).map(([, phrase]) => phrase);
  const yours = role ? ROLE_LABELS[role] : undefined;
  return (
    <div className="role-guide">
      <dl className="role-guide__list">
        {ALL_ROLES.map((code) => (
          <div key={code} className="role-guide__item">
            <dt>
              <span className={`badge badge--${code.toLowerCase()}`}>{ROLE_LABELS[code]}</span>
            </dt>
            <dd>{ROLE_PURPOSES[code]}</dd>
          </div>
        ))}
      </dl>
      <p className="role-guide__yours">
        {yours ? `As ${/^[AEIOU]/.test(yours) ? 'an' : 'a'} ${yours}, you` : 'You'} can{' '}
        {abilities.length > 0 ? `${abilities.join(', ')}.` : 'see who is in the organization.'}
        {can('permissions.view') && (
          <>
            {' '}
            <Link href="/organization/permissions/">See which roles hold each permission</Link>.
          </>
        )}
      </p>
    </div>
  );
}
