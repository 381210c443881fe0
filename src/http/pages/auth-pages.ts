import { authLayout } from '#src/http/pages/auth-layout.js';
import { html } from '#src/http/pages/html.js';
import { CSRF_FIELD } from '#src/http/csrf.js';

export type FieldErrors = Record<string, string[]>;

export interface LoginPageModel {
  csrfToken: string;
  action: string;
  email?: string;
  errors?: FieldErrors;
  signupHref: string;
}

const fieldError = (errors: FieldErrors | undefined, field: string, id: string) =>
  errors?.[field]?.length ? html`<p class="error" id="${id}" role="alert">${errors[field]?.join(' ')}</p>` : html``;

/** The start of both forms: CSRF field, form-level errors, and the e-mail field with its own error. */
const formHead = (csrfToken: string, errors: FieldErrors | undefined, email: string | undefined, autocomplete: string) => html`
  <input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">
  ${errors?.non_field_errors?.length ? html`<div class="form-error" role="alert">${errors.non_field_errors.join(' ')}</div>` : ''}
  <label for="email">Email Address</label>
  <input id="email" name="email" type="email" autocomplete="${autocomplete}" required value="${email ?? ''}"
    aria-describedby="email-error" ${errors?.email ? html`aria-invalid="true"` : ''} autofocus>
  ${fieldError(errors, 'email', 'email-error')}`;

export function loginPage(model: LoginPageModel): string {
  const errors = model.errors;
  return authLayout(
    'Log in',
    html`<h1>Log in</h1>
<form method="post" action="${model.action}" novalidate>${formHead(model.csrfToken, errors, model.email, 'username')}
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <p class="hint"><a href="/user/password-reset/">Forgot password?</a></p>
  <label class="check"><input type="checkbox" name="persist_session" value="on" checked> Keep me logged in this browser</label>
  <button type="submit">Log in</button>
</form>
<p class="switch">Don't have an account? <a href="${model.signupHref}">Sign up</a></p>`,
  );
}

export interface SignupPageModel {
  csrfToken: string;
  action: string;
  email?: string;
  allowNewsletters?: boolean;
  errors?: FieldErrors;
  loginHref: string;
  /** Shown instead of the form when sign-up is closed (invite-only, or a stale link). */
  closedMessage?: string;
}

export function signupPage(model: SignupPageModel): string {
  const errors = model.errors;
  if (model.closedMessage) {
    return authLayout(
      'Sign Up',
      html`<h1>Sign Up</h1><div class="form-error" role="alert">${model.closedMessage}</div>
<p class="switch">Already have an account? <a href="${model.loginHref}">Log in</a></p>`,
    );
  }
  return authLayout(
    'Sign Up',
    html`<h1>Sign Up</h1>
<form method="post" action="${model.action}" novalidate>${formHead(model.csrfToken, errors, model.email, 'email')}
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required
    aria-describedby="password-help password-error" ${errors?.password ? html`aria-invalid="true"` : ''}>
  <p class="hint" id="password-help">Your password must be between 8 and 128 characters.</p>
  ${fieldError(errors, 'password', 'password-error')}
  <label class="check"><input type="checkbox" name="allow_newsletters" value="on" ${model.allowNewsletters ? 'checked' : ''}> Get the latest news from Label Studio</label>
  <button type="submit">Create Account</button>
</form>
<p class="switch">Already have an account? <a href="${model.loginHref}">Log in</a></p>`,
  );
}

/** What a deactivated or pending member sees instead of the app: why, what to do, and a way out. */
export function accessSuspendedPage(message: string): string {
  return authLayout(
    'Access suspended',
    html`<h1>Access suspended</h1><div class="form-error" role="alert">${message}</div>
<p class="switch"><a href="/logout">Log out</a></p>`,
  );
}

/** After a sign-up into an organization whose new members wait for approval. */
export function signupPendingPage(loginHref: string): string {
  return authLayout(
    'Waiting for approval',
    html`<h1>Almost there</h1><div class="notice" role="status">Your account is created. An administrator of the organization must approve it before you can start; you can log in once they have.</div>
<p class="switch"><a href="${loginHref}">Log in</a></p>`,
  );
}
