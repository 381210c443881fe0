import type { RoleCode } from '#src/storage/schema.js';
import { PERMISSIONS } from '#src/policies/permissions.js';

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
  const header = `| Action | ${ROLES.map(([code, label]) => `${label} (${code})`).join(' | ')} |`;
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = Object.entries(PERMISSIONS).map(
    ([action, roles]) =>
      `| \`${action}\` | ${ROLES.map(([code]) => ((roles as readonly RoleCode[]).includes(code) ? 'yes' : '—')).join(' | ')} |`,
  );
  return [
    '# Permissions',
    '',
    'Generated from `src/policies/permissions.ts` by `npm run docs:permissions`; a test fails when they differ.',
    '',
    'Every membership carries a role code (Label Studio Enterprise\'s codes). The organization\'s creator is the Owner;',
    'start-up users created by `label-studio init/start` who join an existing organization are Administrators;',
    'people who sign up or are created through the API are Annotators. Pending and Deactivated members may do nothing.',
    '',
    header,
    rule,
    ...rows,
    '',
  ].join('\n');
}
