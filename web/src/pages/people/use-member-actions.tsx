import { useState, type ReactNode } from 'react';
import { fullMessageOf } from '../../api/client';
import { api } from '../../api/endpoints';
import type { ChangedMember, MembershipListItem, RoleCode } from '../../api/types';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/feedback';
import { isActiveRole, roleCode, roleLabel } from '../../lib/roles';
import { confirmationFor, confirmKindOf, type ConfirmKind } from './member-confirmations';

/** A member as the actions need them. */
export type MemberRef = Pick<MembershipListItem, 'role' | 'allowed_actions'> & { user: Pick<MembershipListItem['user'], 'id' | 'email'> };

/** What happened, for the page's status line. */
export interface ActionResult {
  ok: boolean;
  message: string;
}

export interface MemberActions {
  /** Gives another role: at once, or after a confirmation when it takes access away. */
  changeRole: (member: MemberRef, role: RoleCode) => void;
  remove: (member: MemberRef) => void;
  deleteAccount: (member: MemberRef) => void;
  /** Members with a request in flight. */
  busy: ReadonlySet<number>;
  /** Roles being given right now, by user id: pickers show them before the server answers. */
  pendingRoles: ReadonlyMap<number, RoleCode>;
  result: ActionResult | undefined;
  /** The confirmation dialog, to place once on the page. */
  dialog: ReactNode;
}

interface Pending {
  kind: ConfirmKind;
  member: MemberRef;
  role?: RoleCode;
}

function roleChangeMessage(email: string, before: string, after: RoleCode): string {
  const from = roleCode(before);
  if (after === 'DI') return `${email} is deactivated.`;
  if (from === 'NO' && isActiveRole(after)) return `${email} is approved as ${roleLabel(after)}.`;
  if (from === 'DI' && isActiveRole(after)) return `${email} is reactivated as ${roleLabel(after)}.`;
  return `${email} is now ${after === 'NO' ? 'pending approval' : roleLabel(after)}.`;
}

/**
 * The People page's member actions (role changes, deactivation, approval, removal, deletion): each asks first when
 * it is destructive, runs one API call, reports in one status line, then tells the page (`onChanged`) to refresh.
 */
export function useMemberActions(orgId: number, onChanged: (change: { member: MemberRef; updated?: ChangedMember; gone?: boolean }) => void): MemberActions {
  const [busy, setBusy] = useState<ReadonlySet<number>>(new Set());
  const [pendingRoles, setPendingRoles] = useState<ReadonlyMap<number, RoleCode>>(new Map());
  const [pending, setPending] = useState<Pending>();
  const [dialogError, setDialogError] = useState<unknown>();
  const [result, setResult] = useState<ActionResult>();

  const mark = (userId: number, on: boolean) =>
    setBusy((current) => {
      const next = new Set(current);
      if (on) next.add(userId);
      else next.delete(userId);
      return next;
    });

  /** Runs one action; answers whether it succeeded (a confirmation stays open with the error otherwise). */
  const run = async (member: MemberRef, action: () => Promise<{ updated?: ChangedMember; gone?: boolean; message: string }>, inDialog: boolean) => {
    mark(member.user.id, true);
    setResult(undefined);
    setDialogError(undefined);
    try {
      const { message, ...change } = await action();
      setResult({ ok: true, message });
      onChanged({ member, ...change });
      return true;
    } catch (error) {
      if (inDialog) setDialogError(error);
      else setResult({ ok: false, message: `Could not change ${member.user.email}: ${fullMessageOf(error)}` });
      return false;
    } finally {
      mark(member.user.id, false);
    }
  };

  const showRole = (userId: number, role: RoleCode | undefined) =>
    setPendingRoles((current) => {
      const next = new Map(current);
      if (role) next.set(userId, role);
      else next.delete(userId);
      return next;
    });

  const applyRole = async (member: MemberRef, role: RoleCode, inDialog: boolean) => {
    showRole(member.user.id, role);
    try {
      return await run(
        member,
        async () => {
          const updated = await api.changeRole(orgId, member.user.id, role);
          return { updated, message: roleChangeMessage(member.user.email, member.role, role) };
        },
        inDialog,
      );
    } finally {
      showRole(member.user.id, undefined);
    }
  };

  const changeRole = (member: MemberRef, role: RoleCode) => {
    const kind = confirmKindOf(role);
    if (kind) setPending({ kind, member, role });
    else void applyRole(member, role, false);
  };

  const removeConfirmed = (member: MemberRef) =>
    run(
      member,
      async () => {
        await api.removeMember(orgId, member.user.id);
        return { gone: true, message: `${member.user.email} is removed from the organization.` };
      },
      true,
    );

  const deleteConfirmed = (member: MemberRef) =>
    run(
      member,
      async () => {
        await api.deleteUser(member.user.id);
        return { gone: true, message: `The account of ${member.user.email} is deleted.` };
      },
      true,
    );

  const confirm = async () => {
    if (!pending) return;
    const { kind, member, role } = pending;
    let ok = false;
    if (kind === 'remove') ok = await removeConfirmed(member);
    else if (kind === 'delete') ok = await deleteConfirmed(member);
    else if (role) ok = await applyRole(member, role, true);
    if (ok) setPending(undefined);
  };

  const cancel = () => {
    setPending(undefined);
    setDialogError(undefined);
  };

  const text = pending && confirmationFor(pending.kind, pending.member.user.email);
  const dialog = (
    <ConfirmDialog
      open={pending !== undefined}
      title={text?.title ?? ''}
      message={text?.message}
      confirmLabel={text?.confirmLabel ?? 'Confirm'}
      busy={pending !== undefined && busy.has(pending.member.user.id)}
      error={dialogError !== undefined && <ErrorMessage error={dialogError} />}
      onConfirm={confirm}
      onCancel={cancel}
    />
  );

  return {
    changeRole,
    remove: (member) => setPending({ kind: 'remove', member }),
    deleteAccount: (member) => setPending({ kind: 'delete', member }),
    busy,
    pendingRoles,
    result,
    dialog,
  };
}
