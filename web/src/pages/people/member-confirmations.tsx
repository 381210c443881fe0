import type { ReactNode } from 'react';
import type { RoleCode } from '../../api/types';

/** What a confirmation is about: a role that takes access away, a removal, or an account deletion. */
export type ConfirmKind = 'deactivate' | 'suspend' | 'remove' | 'delete';

export const confirmKindOf = (role: RoleCode): ConfirmKind | undefined =>
  role === 'DI' ? 'deactivate' : role === 'NO' ? 'suspend' : undefined;

interface Confirmation {
  title: string;
  message: ReactNode;
  confirmLabel: string;
}

/** The question each destructive action asks, saying what happens to the member, their access and their work. */
export function confirmationFor(kind: ConfirmKind, who: string): Confirmation {
  switch (kind) {
    case 'deactivate':
      return {
        title: `Deactivate ${who}?`,
        message: (
          <>
            They lose access at once: their sessions, API tokens and personal access tokens are refused from their next
            request. Their work stays, and reactivating them gives their role back.
          </>
        ),
        confirmLabel: 'Deactivate',
      };
    case 'suspend':
      return {
        title: `Move ${who} back to pending?`,
        message: <>They lose access at once, as after an invite-link sign-up, until someone approves them again. Their work stays.</>,
        confirmLabel: 'Move to pending',
      };
    case 'remove':
      return {
        title: `Remove ${who} from the organization?`,
        message: (
          <>
            They lose access to this organization at once. Their work stays, shown as by “Deleted User”. To come back
            they need a new invitation.
          </>
        ),
        confirmLabel: 'Remove member',
      };
    case 'delete':
      return {
        title: `Delete the account of ${who}?`,
        message: (
          <>
            The account is deleted for good: they can no longer log in, in any organization. Everything they made stays,
            shown as by “Deleted User”. This cannot be undone.
          </>
        ),
        confirmLabel: 'Delete account',
      };
  }
}
