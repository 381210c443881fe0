import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '#src/policies/action-context.js';
import { allowedActions, targetRefusal, type TargetFacts, type TargetRule } from '#src/policies/target-rules.js';
import type { RoleCode } from '#src/storage/schema.js';

const ACTOR_ID = 1;
const actor = (role: RoleCode): Actor => ({
  user: { id: ACTOR_ID } as Actor['user'],
  organizationId: 10,
  role,
  membership: { id: 100, user_id: ACTOR_ID, organization_id: 10, role, role_before_deactivation: null, created_at: '', updated_at: '', deleted_at: null },
});

type Row = [TargetRule, RoleCode, Partial<TargetFacts> & { role: RoleCode }, string | null];
const SELF = ACTOR_ID;
const OTHER = 2;

/** Rule, actor's role, target, and the refusal's code (null: allowed). Who may act on whom, in one table. */
const TABLE: Row[] = [
  // Profiles and avatars: yourself always, the owner only themself, others by permission and never upwards.
  ['change_user', 'AN', { userId: SELF, role: 'AN' }, null],
  ['change_user', 'OW', { userId: SELF, role: 'OW' }, null],
  ['change_user', 'AD', { userId: OTHER, role: 'OW' }, 'membership.owner_protected'],
  ['change_user', 'AD', { userId: OTHER, role: 'AD' }, null],
  ['change_user', 'AD', { userId: OTHER, role: 'AN' }, null],
  ['change_user', 'AD', { userId: OTHER, role: 'DI' }, null],
  ['change_user', 'OW', { userId: OTHER, role: 'AD' }, null],
  ['change_user', 'MA', { userId: OTHER, role: 'AN' }, 'permission.denied'],
  ['change_user', 'AN', { userId: OTHER, role: 'AN' }, 'permission.denied'],
  // Removal: never yourself (Label Studio's own 405), never the owner, never a higher role.
  ['remove_member', 'OW', { userId: SELF, role: 'OW' }, 'membership.self_removal'],
  ['remove_member', 'OW', { userId: OTHER, role: 'AD' }, null],
  ['remove_member', 'OW', { userId: OTHER, role: 'OW' }, 'membership.owner_protected'],
  ['remove_member', 'AD', { userId: OTHER, role: 'OW' }, 'membership.owner_protected'],
  ['remove_member', 'MA', { userId: OTHER, role: 'AD' }, 'permission.denied'],
  ['remove_member', 'AD', { userId: OTHER, role: 'MA' }, null],
  // Deletion: never an organization's creator, never yourself, never upwards, never someone another organization has.
  ['delete_user', 'OW', { userId: OTHER, role: 'AN' }, null],
  ['delete_user', 'OW', { userId: OTHER, role: 'AD', createdAnOrganization: true }, 'membership.owner_protected'],
  ['delete_user', 'OW', { userId: SELF, role: 'OW' }, 'user.self_deletion'],
  ['delete_user', 'OW', { userId: OTHER, role: 'AN', memberElsewhere: true }, 'user.in_other_organization'],
  ['delete_user', 'AD', { userId: OTHER, role: 'OW' }, 'permission.denied'],
  // Second-factor reset: never your own (the Account page asks for your password), never the owner, never upwards.
  ['reset_two_factor', 'AD', { userId: OTHER, role: 'AN' }, null],
  ['reset_two_factor', 'AD', { userId: OTHER, role: 'AD' }, null],
  ['reset_two_factor', 'OW', { userId: OTHER, role: 'AD' }, null],
  ['reset_two_factor', 'AD', { userId: OTHER, role: 'DI' }, null],
  ['reset_two_factor', 'AD', { userId: SELF, role: 'AD' }, 'permission.denied'],
  ['reset_two_factor', 'OW', { userId: SELF, role: 'OW' }, 'permission.denied'],
  ['reset_two_factor', 'AD', { userId: OTHER, role: 'OW' }, 'membership.owner_protected'],
  ['reset_two_factor', 'MA', { userId: OTHER, role: 'AD' }, 'permission.denied'],
];

test('target rules: who may act on whom, table-driven', () => {
  for (const [rule, role, target, expected] of TABLE) {
    const refusal = targetRefusal(rule, actor(role), { userId: target.userId ?? OTHER, ...target });
    assert.equal(refusal?.code ?? null, expected, `${rule}: ${role} on ${JSON.stringify(target)}`);
  }
});

test('a self-removal carries Label Studio’s own 405 body, not the envelope', () => {
  const refusal = targetRefusal('remove_member', actor('OW'), { userId: SELF, role: 'OW' });
  assert.equal(refusal?.status, 405);
  assert.deepEqual(refusal?.body, { detail: 'User cannot soft delete self' });
});

test('restore_role: offered on a deactivated member with a kept role, only to those who may give that role', () => {
  const none = new Map<string, readonly RoleCode[]>();
  const deactivated = (roleBeforeDeactivation: RoleCode | null) => ({ userId: OTHER, role: 'DI' as const, roleBeforeDeactivation, removed: false });
  assert.deepEqual(allowedActions(actor('AD'), none, deactivated('AD')).slice(0, 3), ['change_user', 'change_role', 'restore_role']);
  assert.ok(allowedActions(actor('OW'), none, deactivated('MA')).includes('restore_role'));
  assert.ok(!allowedActions(actor('AD'), none, deactivated(null)).includes('restore_role'), 'nothing kept: nothing to restore');
  assert.ok(!allowedActions(actor('AD'), none, { userId: OTHER, role: 'AN', roleBeforeDeactivation: 'AD', removed: false }).includes('restore_role'), 'only while deactivated');
  assert.ok(!allowedActions(actor('MA'), none, deactivated('AN')).includes('restore_role'), 'not without members.change_role');
  assert.deepEqual(allowedActions(actor('AD'), none, { ...deactivated('AN'), removed: true }), [], 'removed members get nothing');
});
