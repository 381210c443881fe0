import { useEffect, useState } from 'react';
import { api } from '../api/endpoints';
import type { OrganizationSummary } from '../api/types';
import { messageOf } from '../api/client';
import { isActiveRole, roleCode, roleLabel } from '../lib/roles';
import { navigate, useLocation } from '../lib/router';
import { useMenu } from '../lib/use-menu';
import { useSession } from '../session';
import { CreateOrganizationDialog } from './create-organization-dialog';
import { ConfirmDialog } from './dialog';
import { ErrorMessage } from './feedback';

/**
 * Moves the pages to another organization once the server has: the session is loaded again and the page shown for
 * the new organization, without the query (filters and selections named the old organization's members). When the
 * session cannot be loaded in place (no organization left), a full load lets the server say why.
 */
export function useOrganizationMove() {
  const { reload } = useSession();
  return async (to: string) => {
    try {
      await reload();
      navigate(to, { replace: true });
    } catch {
      location.assign(to);
    }
  };
}

/** The active organization in the top bar: a menu to switch to another, create one, or leave this one. */
export function OrganizationSwitcher() {
  const { me, can, role } = useSession();
  const { pathname } = useLocation();
  const [organizations, setOrganizations] = useState<OrganizationSummary[]>();
  const { open, close, menuId, buttonProps, menuProps } = useMenu(organizations);
  const [error, setError] = useState<unknown>();
  const [dialog, setDialog] = useState<'create' | 'leave' | undefined>();
  const [busy, setBusy] = useState(false);
  const [leaveError, setLeaveError] = useState<unknown>();
  const move = useOrganizationMove();

  useEffect(() => {
    if (!open) return;
    let live = true;
    // Always the list as it is now: organizations come and go (created, left) while the page stays.
    setOrganizations(undefined);
    setError(undefined);
    api.organizations().then(
      (list) => live && setOrganizations(list),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [open]);

  const switchTo = async (id: number) => {
    if (id === me.active_organization) return close(true);
    try {
      await api.switchOrganization(id);
      close(false);
      await move(pathname);
    } catch (e) {
      setError(e);
    }
  };

  const leave = async () => {
    if (!me.active_organization) return;
    setBusy(true);
    setLeaveError(undefined);
    try {
      await api.leaveOrganization(me.active_organization);
      setDialog(undefined);
      await move('/projects/');
    } catch (e) {
      setLeaveError(e);
    } finally {
      setBusy(false);
    }
  };

  const openDialog = (which: 'create' | 'leave') => {
    close(false);
    setDialog(which);
  };

  const title = me.active_organization_meta.title || 'No organization';
  const membershipOf = (id: number) => me.org_membership.find((m) => m.organization_id === id);
  const canLeave = me.active_organization !== null && role !== undefined && role !== 'OW';
  const settled = organizations !== undefined || error !== undefined;
  return (
    <div className="org-switcher">
      <button {...buttonProps} className="org-switcher__button">
        <span className="visually-hidden">Switch organization, current: </span>
        <span className="org-switcher__title">{title}</span>
        <span className="account-menu__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div {...menuProps} className="menu">
          <div className="menu__header">
            <strong>Organizations</strong>
          </div>
          {error !== undefined && <p className="menu__error" role="alert">{messageOf(error)}</p>}
          {!organizations && error === undefined && <p className="menu__note">Loading organizations…</p>}
          {/* The items appear together once the list is in, so opening focuses the current organization. */}
          <div id={menuId} role="menu" aria-label="Organizations" aria-busy={!settled || undefined}>
            {organizations?.map((organization) => {
              const membership = membershipOf(organization.id);
              const code = roleCode(membership?.role);
              const usable = code !== undefined && isActiveRole(code);
              return (
                <button
                  key={organization.id}
                  type="button"
                  role="menuitemradio"
                  aria-checked={organization.id === me.active_organization}
                  aria-disabled={usable ? undefined : 'true'}
                  className="menu__item menu__item--org"
                  onClick={() => usable && switchTo(organization.id)}
                >
                  <span className="menu__item-title">{organization.title || `Organization #${organization.id}`}</span>
                  <span className="menu__item-meta">{code ? roleLabel(code) : ''}</span>
                </button>
              );
            })}
            {settled && (can('organizations.create') || canLeave) && <div role="separator" className="menu__separator" />}
            {settled && can('organizations.create') && (
              <button type="button" role="menuitem" className="menu__item" onClick={() => openDialog('create')}>
                Create organization…
              </button>
            )}
            {settled && canLeave && (
              <button type="button" role="menuitem" className="menu__item menu__item--danger" onClick={() => openDialog('leave')}>
                Leave organization…
              </button>
            )}
          </div>
        </div>
      )}
      <CreateOrganizationDialog open={dialog === 'create'} onClose={() => setDialog(undefined)} onCreated={() => move('/organization/')} />
      <ConfirmDialog
        open={dialog === 'leave'}
        title={`Leave ${title}?`}
        message={
          <>
            You lose access to its projects and people at once; your work stays. To come back you need a new invitation.
          </>
        }
        confirmLabel="Leave organization"
        busy={busy}
        error={leaveError !== undefined && <ErrorMessage error={leaveError} />}
        onConfirm={leave}
        onCancel={() => {
          setDialog(undefined);
          setLeaveError(undefined);
        }}
      />
    </div>
  );
}
