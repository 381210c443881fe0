import { CSRF_FIELD } from '#src/http/csrf.js';
import { authLayout } from '#src/http/pages/auth-layout.js';
import type { FieldErrors } from '#src/http/pages/auth-pages.js';
import { html, type SafeHtml } from '#src/http/pages/html.js';
import { LOGIN_PATH } from '#src/http/redirects.js';

/** Paths of the forgotten-password pages (linked from the login page). */
export const PASSWORD_RESET_PATHS = {
  request: '/user/password-reset/',
  confirm: '/user/password-reset/confirm/',
  done: '/user/password-reset/done/',
} as const;


const formError = (errors: FieldErrors | undefined) =>
  errors?.non_field_errors?.length ? html`<div class="form-error" role="alert">${errors.non_field_errors.join(' ')}</div>` : html``;

const fieldError = (errors: FieldErrors | undefined, field: string) =>
  errors?.[field]?.length ? html`<p class="error" id="${field}-error" role="alert">${errors[field]?.join(' ')}</p>` : html``;

const invalid = (errors: FieldErrors | undefined, field: string) => (errors?.[field]?.length ? html`aria-invalid="true"` : html``);

const backToLogin = html`<p class="switch"><a href="${LOGIN_PATH}">Back to log in</a></p>`;

function page(title: string, body: SafeHtml): string {
  return authLayout(title, html`<h1>${title}</h1>${body}`);
}

export interface ResetRequestModel {
  csrfToken: string;
  email?: string;
  errors?: FieldErrors;
  /** Shown instead of the form: this server cannot send mail. */
  unavailable?: string;
}

/** "Forgot your password?": the e-mail address to send a link to. */
export function resetRequestPage(model: ResetRequestModel): string {
  if (model.unavailable) {
    return page('Forgot your password?', html`<div class="notice" role="status">${model.unavailable}</div>${backToLogin}`);
  }
  const { errors } = model;
  return page(
    'Forgot your password?',
    html`<p>Enter the e-mail address of your account. We will send you a link to choose a new password.</p>
<form method="post" action="${PASSWORD_RESET_PATHS.request}" novalidate>
  <input type="hidden" name="${CSRF_FIELD}" value="${model.csrfToken}">
  ${formError(errors)}
  <label for="email">Email Address</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${model.email ?? ''}" aria-describedby="email-error" ${invalid(errors, 'email')} autofocus>
  ${fieldError(errors, 'email')}
  <button type="submit">Send reset link</button>
</form>${backToLogin}`,
  );
}

/** After a request: the same words whether or not the address is an account. */
export function resetSentPage(message: string): string {
  return page('Check your inbox', html`<div class="notice" role="status">${message}</div>${backToLogin}`);
}

export interface ResetConfirmModel {
  csrfToken: string;
  /** The form posts back to the page's own address, link secret included. */
  action: string;
  email: string;
  errors?: FieldErrors;
}

/** The link's page: a new password, twice, under the same rule as sign-up. */
export function resetConfirmPage(model: ResetConfirmModel): string {
  const { errors } = model;
  return page(
    'Choose a new password',
    html`<p>For the account <strong>${model.email}</strong>. You will be signed out everywhere.</p>
<form method="post" action="${model.action}" novalidate>
  <input type="hidden" name="${CSRF_FIELD}" value="${model.csrfToken}">
  <input type="email" name="username" value="${model.email}" autocomplete="username" hidden>
  ${formError(errors)}
  <label for="password">New password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required
    aria-describedby="password-help password-error" ${invalid(errors, 'password')} autofocus>
  <p class="hint" id="password-help">Between 8 and 128 characters, not a common password, not only digits, not like your e-mail.</p>
  ${fieldError(errors, 'password')}
  <label for="password_confirm">Confirm new password</label>
  <input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required
    aria-describedby="password_confirm-error" ${invalid(errors, 'password_confirm')}>
  ${fieldError(errors, 'password_confirm')}
  <button type="submit">Set new password</button>
</form>`,
  );
}

/** A link that cannot be used (unknown, used, expired, or the password changed since). */
export function resetInvalidPage(message: string): string {
  return page(
    'Link not valid',
    html`<div class="form-error" role="alert">${message}</div>
<p class="switch"><a href="${PASSWORD_RESET_PATHS.request}">Ask for a new link</a> &middot; <a href="${LOGIN_PATH}">Log in</a></p>`,
  );
}

/** After the new password is set. */
export function resetDonePage(): string {
  return page(
    'Password changed',
    html`<div class="notice" role="status">Your password has been changed and every session of your account has ended. Log in with your new password.</div>
<p class="switch"><a href="${LOGIN_PATH}">Log in</a></p>`,
  );
}
