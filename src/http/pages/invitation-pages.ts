import { CSRF_FIELD } from '#src/http/csrf.js';
import { authLayout } from '#src/http/pages/auth-layout.js';
import type { FieldErrors } from '#src/http/pages/auth-pages.js';
import { html, type SafeHtml } from '#src/http/pages/html.js';

/** Where an invitation's link leads. */
export const INVITATION_PAGE_PATH = '/user/invite/accept/';

const ROLE_NAMES: Record<string, string> = { AD: 'Administrator', MA: 'Manager', RE: 'Reviewer', AN: 'Annotator' };
export const roleName = (role: string): string => ROLE_NAMES[role] ?? role;

/** What every invitation page says about the invitation. */
export interface InvitationFacts {
  organization: string;
  role: string;
  email: string;
}

const intro = (facts: InvitationFacts) =>
  html`<p>You are invited to join <strong>${facts.organization}</strong> as <strong>${roleName(facts.role)}</strong>.</p>`;

const fieldError = (errors: FieldErrors | undefined, field: string) =>
  errors?.[field]?.length ? html`<p class="error" id="${field}-error" role="alert">${errors[field]?.join(' ')}</p>` : html``;

function page(title: string, body: SafeHtml): string {
  return authLayout(title, html`<h1>${title}</h1>${body}`);
}

export interface InvitationSignupModel extends InvitationFacts {
  csrfToken: string;
  action: string;
  errors?: FieldErrors;
}

/** No account for the address yet: choose a password to create it and join. */
export function invitationSignupPage(model: InvitationSignupModel): string {
  const { errors } = model;
  return page(
    `Join ${model.organization}`,
    html`${intro(model)}
<form method="post" action="${model.action}" novalidate>
  <input type="hidden" name="${CSRF_FIELD}" value="${model.csrfToken}">
  ${errors?.non_field_errors?.length ? html`<div class="form-error" role="alert">${errors.non_field_errors.join(' ')}</div>` : ''}
  <label for="email">Email Address</label>
  <input id="email" name="email" type="email" autocomplete="username" value="${model.email}" readonly aria-describedby="email-help">
  <p class="hint" id="email-help">The invitation is for this address.</p>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required
    aria-describedby="password-help password-error" ${errors?.password ? html`aria-invalid="true"` : ''} autofocus>
  <p class="hint" id="password-help">Your password must be between 8 and 128 characters.</p>
  ${fieldError(errors, 'password')}
  <button type="submit">Create Account and Join</button>
</form>`,
  );
}

/** The address has an account and nobody is signed in: accept, then log in as it. */
export function invitationAccountPage(model: InvitationFacts & { csrfToken: string; action: string }): string {
  return page(
    `Join ${model.organization}`,
    html`${intro(model)}<p>An account exists for <strong>${model.email}</strong>. Accept the invitation, then log in with its password.</p>
<form method="post" action="${model.action}">
  <input type="hidden" name="${CSRF_FIELD}" value="${model.csrfToken}">
  <button type="submit">Accept and log in</button>
</form>`,
  );
}

/** Signed in as the invited account: one click joins. */
export function invitationConfirmPage(model: InvitationFacts & { csrfToken: string; action: string }): string {
  return page(
    `Join ${model.organization}`,
    html`${intro(model)}<p>You are logged in as <strong>${model.email}</strong>.</p>
<form method="post" action="${model.action}">
  <input type="hidden" name="${CSRF_FIELD}" value="${model.csrfToken}">
  <button type="submit">Accept invitation</button>
</form>`,
  );
}

/** Signed in as someone else: the invitation is not theirs. */
export function invitationWrongAccountPage(model: InvitationFacts & { signedInAs: string }): string {
  return page(
    'Invitation for another account',
    html`<div class="form-error" role="alert">This invitation is for ${model.email}, and you are logged in as ${model.signedInAs}.</div>
<p>Log out, then open the invitation link again and log in as ${model.email}.</p>
<p class="switch"><a href="/logout">Log out</a></p>`,
  );
}

/** An invitation that cannot be used: unknown, expired, withdrawn or already accepted. */
export function invitationInvalidPage(message: string): string {
  return page(
    'Invitation not valid',
    html`<div class="form-error" role="alert">${message}</div>
<p class="switch"><a href="/user/login/">Log in</a></p>`,
  );
}
