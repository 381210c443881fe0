import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderPermissionsDoc } from '#src/policies/permissions-doc.js';
import { roleAllows } from '#src/policies/permissions.js';

test('docs/permissions.md matches the permission table (npm run docs:permissions rewrites it)', () => {
  const doc = readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
  assert.equal(doc, renderPermissionsDoc());
});

test('only the owner removes members; pending and deactivated members may do nothing', () => {
  assert.equal(roleAllows('OW', 'members.delete'), true);
  assert.equal(roleAllows('AD', 'members.delete'), false);
  assert.equal(roleAllows('AN', 'projects.view'), true);
  assert.equal(roleAllows('NO', 'projects.view'), false);
  assert.equal(roleAllows('DI', 'users.view'), false);
});
