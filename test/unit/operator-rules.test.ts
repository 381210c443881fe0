import assert from 'node:assert/strict';
import { test } from 'node:test';
import { operatorRefusal, type OperatorRule } from '#src/policies/operator-rules.js';
import type { TargetFacts } from '#src/policies/target-rules.js';

/** Rule, target, and the refusal's code (null: allowed). The operator has no rank: only the invariants refuse. */
const TABLE: Array<[OperatorRule, TargetFacts, string | null]> = [
  // Any role change, upwards included, except into or out of ownership.
  ['change_role', { userId: 2, role: 'AN', newRole: 'AD' }, null],
  ['change_role', { userId: 2, role: 'AD', newRole: 'DI' }, null],
  ['change_role', { userId: 2, role: 'DI', newRole: 'AN' }, null],
  ['change_role', { userId: 2, role: 'NO', newRole: 'MA' }, null],
  ['change_role', { userId: 2, role: 'AN', newRole: 'OW' }, 'request.invalid'],
  ['change_role', { userId: 1, role: 'OW', newRole: 'AD' }, 'membership.owner_protected'],
  ['change_role', { userId: 1, role: 'OW', newRole: 'DI' }, 'membership.owner_protected'],
  ['change_role', { userId: 1, role: 'OW', newRole: 'OW' }, 'request.invalid'],
  // Deletion of anyone, administrators included, but never an owner or creator, nor someone another organization has.
  ['delete_user', { userId: 2, role: 'AD' }, null],
  ['delete_user', { userId: 2, role: 'DI', memberElsewhere: false, createdAnOrganization: false }, null],
  ['delete_user', { userId: 1, role: 'OW' }, 'membership.owner_protected'],
  ['delete_user', { userId: 2, role: 'AN', createdAnOrganization: true }, 'membership.owner_protected'],
  ['delete_user', { userId: 2, role: 'AN', memberElsewhere: true }, 'user.in_other_organization'],
];

test('the operator rules refuse exactly what breaks an invariant', () => {
  for (const [rule, target, code] of TABLE) {
    assert.equal(operatorRefusal(rule, target)?.code ?? null, code, `${rule} on ${JSON.stringify(target)}`);
  }
});
