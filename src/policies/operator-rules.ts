import { AppError } from '#src/errors.js';
import {
  OTHER_ORGANIZATION_MESSAGE,
  OWNER_BY_TRANSFER_MESSAGE,
  OWNER_ROLE_MESSAGE,
  OWNER_UNDELETABLE_MESSAGE,
  type TargetFacts,
} from '#src/policies/target-rules.js';

/**
 * What even the operator at the command line may not do. The operator is trusted (no role, no rank), so only the
 * invariants that hold for everyone are left: exactly one owner, who is never demoted, deactivated or deleted except
 * by transferring ownership; and a user another organization still has is not deleted from this one.
 */
export type OperatorRule = 'change_role' | 'delete_user';

const RULES: Record<OperatorRule, (target: TargetFacts) => AppError | null> = {
  change_role: (target) => {
    if (target.newRole === 'OW') return AppError.validation({ role: [OWNER_BY_TRANSFER_MESSAGE] });
    if (target.role === 'OW') return AppError.forbidden(OWNER_ROLE_MESSAGE, 'membership.owner_protected');
    return null;
  },
  delete_user: (target) => {
    // The owner of this organization, or the creator of any: deleting them would leave an organization without one.
    if (target.role === 'OW' || target.createdAnOrganization) return AppError.forbidden(OWNER_UNDELETABLE_MESSAGE, 'membership.owner_protected');
    if (target.memberElsewhere) return AppError.forbidden(OTHER_ORGANIZATION_MESSAGE, 'user.in_other_organization');
    return null;
  },
};

/** The refusal `rule` gives the operator for this target, or null. */
export function operatorRefusal(rule: OperatorRule, target: TargetFacts): AppError | null {
  return RULES[rule](target);
}

/** Throws the refusal, if any. */
export function assertOperatorTarget(rule: OperatorRule, target: TargetFacts): void {
  const refusal = operatorRefusal(rule, target);
  if (refusal) throw refusal;
}
