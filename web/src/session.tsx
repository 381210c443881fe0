import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './api/endpoints';
import type { MembershipDetail, RoleCode, User, WhoAmI } from './api/types';
import { ErrorMessage, Loading } from './components/feedback';
import { roleCode } from './lib/roles';

interface Session {
  me: WhoAmI;
  /** The caller's membership in their active organization (role, counts); undefined without an organization. */
  membership: MembershipDetail | undefined;
  /** Replaces the user after a change made on the Account page, so the top bar follows. */
  updateMe: (user: User) => void;
  /** True when the caller holds the permission (whoami's list, from the server's one permission table). */
  can: (permission: string) => boolean;
  /** The caller's role in their active organization (whoami's `organization_membership`). */
  role: RoleCode | undefined;
  /**
   * Loads whoami again after a change to who the caller is (another organization, a transferred ownership), keeping
   * the pages on screen; rejects when the new session cannot be loaded.
   */
  reload: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

type State = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; me: WhoAmI; membership?: MembershipDetail };

async function loadSession(): Promise<{ me: WhoAmI; membership?: MembershipDetail }> {
  const me = await api.whoami();
  // Without the membership the pages still work; they only hide what needs a known role.
  const membership = me.active_organization
    ? await api.membership(me.active_organization, me.id).catch(() => undefined)
    : undefined;
  return { me, membership };
}

/** Loads who the caller is (whoami) and their role before any page renders. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    loadSession().then(
      (session) => live && setState({ status: 'ready', ...session }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const reload = useCallback(async () => {
    const session = await loadSession();
    setState({ status: 'ready', ...session });
  }, []);

  const updateMe = useCallback(
    (user: User) => setState((s) => (s.status === 'ready' ? { ...s, me: { ...s.me, ...user } } : s)),
    [],
  );

  if (state.status === 'loading') {
    return (
      <main className="boot" id="main">
        <Loading label="Loading Label Studio…" />
      </main>
    );
  }
  if (state.status === 'error') {
    return (
      <main className="boot" id="main">
        <h1 className="visually-hidden">Label Studio</h1>
        <ErrorMessage title="Could not load your account." error={state.error} onRetry={() => setAttempt((n) => n + 1)} />
      </main>
    );
  }
  const { me, membership } = state;
  const session: Session = {
    me,
    membership,
    updateMe,
    can: (permission) => me.permissions.includes(permission),
    role: roleCode(me.organization_membership?.role),
    reload,
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
