import { useState } from 'react';
import { api } from '../../api/endpoints';
import { ErrorMessage, Loading } from '../../components/feedback';
import { useLocation, useTitle } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { TwoFactorEnrolmentForm } from './enrolment';
import { RecoveryCodesView } from './recovery-codes';

/** Only a path of this site: `next` comes from the address bar. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/projects/';
}

/**
 * /user/two-factor/setup/: where a member whose organization requires two-factor sign-in lands before anything else.
 * It stands alone (no top bar, no whoami): until they have set it up, only the enrolment endpoints answer them.
 */
export function TwoFactorSetupPage() {
  useTitle('Set up two-factor sign-in');
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const status = useAsync(() => api.twoFactor(), []);
  const [codes, setCodes] = useState<string[]>();
  const proceed = () => location.assign(next);

  return (
    <main id="main" className="setup" tabIndex={-1}>
      <div className="setup__card card">
        <div className="setup__brand" aria-hidden="true">
          <span className="brand__mark">LS</span> Label Studio
        </div>
        <h1 className="setup__title">Set up two-factor sign-in</h1>
        {status.status === 'error' && <ErrorMessage error={status.error} onRetry={status.reload} />}
        {!status.data && status.status === 'loading' && <Loading label="Loading…" />}
        {status.data && !codes && status.data.enabled && (
          <>
            <p className="setup__text">Two-factor sign-in is on for your account.</p>
            <a className="btn btn--primary" href={next}>
              Continue
            </a>
          </>
        )}
        {status.data && !codes && !status.data.enabled && (
          <>
            <p className="setup__text">
              {status.data.required
                ? 'Your organization requires two-factor sign-in. Set up an authenticator app to continue: from now on you will log in with your password and a code from the app.'
                : 'Set up an authenticator app: from now on you will log in with your password and a code from the app.'}
            </p>
            <TwoFactorEnrolmentForm onEnabled={setCodes} />
          </>
        )}
        {codes && <RecoveryCodesView codes={codes} doneLabel="Continue" onDone={proceed} />}
        <p className="setup__footer">
          <a href="/logout">Log out</a>
        </p>
      </div>
    </main>
  );
}
