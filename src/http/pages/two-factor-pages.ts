import { authLayout } from '#src/http/pages/auth-layout.js';
import { html } from '#src/http/pages/html.js';
import { CSRF_FIELD } from '#src/http/csrf.js';

export interface SecondFactorPageModel {
  csrfToken: string;
  action: string;
  /** Why the last code was refused. */
  error?: string;
  /** Back to the password form (keeping `next`). */
  loginHref: string;
}

/** The login's second page: one field that takes the app's 6-digit code or a recovery code. No script. */
export function secondFactorPage(model: SecondFactorPageModel): string {
  const { error } = model;
  return authLayout(
    'Two-factor sign-in',
    html`<h1>Two-factor sign-in</h1>
<p class="lead">Open your authenticator app and enter the 6-digit code it shows for Label Studio.</p>
<form method="post" action="${model.action}" novalidate>
  <input type="hidden" name="${CSRF_FIELD}" value="${model.csrfToken}">
  <label for="code">Authentication code</label>
  <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" spellcheck="false" required
    maxlength="32" aria-describedby="code-help${error ? ' code-error' : ''}" ${error ? html`aria-invalid="true"` : ''} autofocus>
  <p class="hint" id="code-help">No phone at hand? Enter one of your recovery codes instead (each works once).</p>
  ${error ? html`<p class="error" id="code-error" role="alert">${error}</p>` : ''}
  <button type="submit">Verify</button>
</form>
<p class="switch"><a href="${model.loginHref}">Back to log in</a></p>`,
  );
}
