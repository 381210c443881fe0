import type { RoleCode } from '#src/storage/schema.js';
import { PERMISSION_MEANINGS, PERMISSIONS, type Permission } from '#src/policies/permissions.js';

const ROLES: ReadonlyArray<readonly [RoleCode, string]> = [
  ['OW', 'Owner'],
  ['AD', 'Administrator'],
  ['MA', 'Manager'],
  ['RE', 'Reviewer'],
  ['AN', 'Annotator'],
  ['NO', 'Pending'],
  ['DI', 'Deactivated'],
];

/** docs/permissions.md, generated from the permission table so the two cannot drift (a test compares them). */
export function renderPermissionsDoc(): string {
  const header = `| Permission | What it allows | ${ROLES.map(([code, label]) => `${label} (${code})`).join(' | ')} |`;
  const rule = `|---|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = (Object.keys(PERMISSIONS) as Permission[]).map(
    (permission) =>
      `| \`${permission}\` | ${PERMISSION_MEANINGS[permission]} | ${ROLES.map(([code]) => ((PERMISSIONS[permission] as readonly RoleCode[]).includes(code) ? 'yes' : '—')).join(' | ')} |`,
  );
  return [
    '# Permissions',
    '',
    'Generated from `src/policies/permissions.ts` by `npm run docs:permissions`; a test fails when they differ.',
    '',
    "Every membership carries a role code (Label Studio Enterprise's codes). The organization's creator is the Owner;",
    'start-up users created by `label-studio init/start` who join an existing organization are Administrators;',
    'people who sign up or are created through the API are Annotators.',
    '',
    'Every API route declares one of these permissions (and which organization it acts in); one hook checks it before',
    "the route runs. `whoami` lists the caller's permissions, and the web app shows and hides by them.",
    '',
    header,
    rule,
    ...rows,
    '',
    '## Pending and deactivated members',
    '',
    'Pending (`NO`) and deactivated (`DI`) members may do nothing: every API call about their organization answers 403 with the code',
    '`membership.pending` or `membership.deactivated` and a sentence saying so; their sessions, legacy tokens and',
    'personal access tokens are refused on the next request, on every server process; the web pages show an',
    '"Access suspended" page; login says why it is refused. About another organization they get the answer any',
    'outsider gets (403 or 404). A user removed from every organization is refused the same way (`membership.none`).',
    'Their work stays.',
    '',
    "Deactivating keeps the member's active role (`role_before_deactivation` in the member list, never `NO`); reactivating",
    'gives it back by default: **Reactivate as …** on the People page, `label-studio users activate` without `--role`.',
    '`PATCH …/memberships` gives the role the request names, and any other active role may be chosen instead; the kept',
    'role is forgotten once they leave `DI`. The list offers the kept role (`restore_role`) only to someone who may give',
    'it, and a role above your own is refused (403, `You cannot give a role higher than your own.`). Today that never',
    'bites: only owners and administrators change roles (`members.change_role` is not configurable) and no kept role is',
    'above an administrator. The CLI operator has no rank and always gives the kept role back.',
    '',
    '## Who may act on whom',
    '',
    'Beyond the table, rules about the person acted on (`src/policies/target-rules.ts`):',
    '',
    '- **Profile and avatar** (`PATCH /api/users/{id}/`, avatar upload and removal): yourself always; the owner only',
    '  themself; others need `users.change` and may not act on a higher role. Nobody changes another person\'s',
    '  active organization.',
    '- **Role changes** (deactivation, reactivation and approval included): never your own, never the owner\'s (ownership',
    '  moves only by transfer), never a higher role\'s, never to a role above your own.',
    "- **Removing a member**: never yourself (Label Studio's 405), never the owner, never a higher role.",
    "- **Deleting a user**: never an organization's creator, never yourself, never someone another organization",
    '  still has.',
    '',
  ].join('\n');
}
