import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import { PageHeader } from '../../components/app-shell';
import { ErrorMessage, Loading } from '../../components/feedback';
import { Link, useLocation, useTitle } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { EmailPreferences } from './email-preferences';
import { LegacyToken } from './legacy-token';
import { MembershipInfo } from './membership-info';
import { PersonalInfo } from './personal-info';
import { PersonalToken } from './personal-token';
import { TwoFactorSection } from './two-factor';

/** Account & Settings (/user/account/ and /user/account/<section>): one page, sections reachable by sub-path. */
export function AccountPage() {
  useTitle('Account & Settings');
  const { pathname } = useLocation();
  const settings = useAsync(() => api.tokenSettings(), []);
  const section = pathname.replace(/^\/user\/account\/?/, '').replace(/\/$/, '');

  const sections = [
    { id: 'personal-info', label: 'Personal Info' },
    { id: 'email-preferences', label: 'Email Preferences' },
    { id: 'membership-info', label: 'Membership Info' },
    { id: 'two-factor', label: 'Two-factor sign-in' },
    ...(settings.data?.api_tokens_enabled ? [{ id: 'personal-access-token', label: 'Personal Access Token' }] : []),
    ...(settings.data?.legacy_api_tokens_enabled ? [{ id: 'legacy-token', label: 'Access Token' }] : []),
  ];

  // /user/account/<section> opens the page at that section, once it is on screen.
  useEffect(() => {
    if (!section) return;
    document.getElementById(section)?.scrollIntoView({ block: 'start' });
  }, [section, settings.status]);
  const visible = useVisibleSection(sections.map((s) => s.id).join(' '), section);
  const current = visible ?? (section || 'personal-info');

  const noTokens = settings.data && !settings.data.api_tokens_enabled && !settings.data.legacy_api_tokens_enabled;
  return (
    <div className="page">
      <PageHeader title="Account & Settings" />
      <div className="settings">
        <nav className="settings__nav" aria-label="Account sections">
          <ul>
            {sections.map((s) => (
              <li key={s.id}>
                <Link href={`/user/account/${s.id}`} aria-current={current === s.id ? 'location' : undefined}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings__content">
          <PersonalInfo />
          <EmailPreferences />
          <MembershipInfo />
          <TwoFactorSection />
          {settings.status === 'loading' && !settings.data && (
            <div className="card settings-section">
              <Loading label="Loading token settings…" />
            </div>
          )}
          {settings.status === 'error' && (
            <div className="card settings-section">
              <ErrorMessage title="Could not load the organization's token settings." error={settings.error} onRetry={settings.reload} />
            </div>
          )}
          {settings.data?.api_tokens_enabled && <PersonalToken />}
          {settings.data?.legacy_api_tokens_enabled && <LegacyToken />}
          {noTokens && (
            <div className="card settings-section">
              <h2 className="settings-section__title">API access</h2>
              <p className="settings-section__text">
                API tokens are turned off for this organization. An administrator can turn them on in Organization →
                API Tokens Settings.
              </p>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

/** The id of the section nearest the top of the window, for the side navigation's highlight. */
/**
 * The section to mark in the menu: the one the URL names while it is on screen (a short page may not scroll it to
 * the top), else the last one whose top passed the line below the top bar, or the last one at the page's bottom.
 */
function useVisibleSection(ids: string, preferred: string | undefined): string | undefined {
  const [visible, setVisible] = useState<string>();
  useEffect(() => {
    const onScroll = () => {
      const wanted = preferred ? document.getElementById(preferred)?.getBoundingClientRect() : undefined;
      if (preferred && wanted && wanted.top >= 0 && wanted.top < window.innerHeight) {
        setVisible(preferred);
        return;
      }
      let best: string | undefined;
      for (const id of ids.split(' ')) {
        const element = document.getElementById(id);
        // A section counts once its top passes a line a little below the top bar.
        if (element && element.getBoundingClientRect().top <= 120) best = id;
      }
      const { scrollHeight } = document.documentElement;
      const atBottom = scrollHeight > window.innerHeight + 2 && window.innerHeight + window.scrollY >= scrollHeight - 2;
      setVisible(atBottom ? ids.split(' ').at(-1) : best);
    };
    onScroll();
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, [ids, preferred]);
  return visible;
}
