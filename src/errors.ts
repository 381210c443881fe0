/**
 * Stable error codes and the HTTP status each one means: the one table. Clients, logs and tests rely on `code`;
 * people read `detail`. A code never changes meaning once shipped; add a new one instead.
 */
export const ERROR_STATUS = {
  'request.invalid': 400,
  'request.malformed': 400,
  'request.too_large': 413,
  'request.unsupported_media_type': 415,
  'request.method_not_allowed': 405,
  'resource.not_found': 404,
  'page.invalid': 404,
  'auth.not_authenticated': 401,
  'auth.invalid_token': 401,
  'auth.token_refused': 401,
  'auth.invalid_credentials': 400,
  'auth.locked_out': 429,
  'auth.throttled': 429,
  'auth.csrf_failed': 403,
  'auth.signup_closed': 403,
  'auth.invite_invalid': 403,
  'auth.reset_link_invalid': 400,
  'request.rate_limited': 429,
  'invite.already_member': 400,
  'invite.send_limit': 429,
  'two_factor.enrolment_required': 403,
  'two_factor.session_required': 403,
  'two_factor.invalid_code': 400,
  'two_factor.challenge_invalid': 400,
  'two_factor.too_many_attempts': 429,
  'two_factor.already_enabled': 409,
  'two_factor.not_enabled': 409,
  'two_factor.not_enrolling': 409,
  'permission.denied': 403,
  'membership.none': 403,
  'membership.deactivated': 403,
  'membership.pending': 403,
  'membership.owner_protected': 403,
  'membership.not_active_organization': 403,
  'membership.self_removal': 405,
  'membership.own_role': 403,
  'membership.last_owner': 403,
  'organization.creation_closed': 403,
  'user.email_taken': 400,
  'user.email_read_only': 405,
  'user.token_taken': 400,
  'user.in_other_organization': 403,
  'user.self_deletion': 403,
  'token.already_exists': 409,
  'token.disabled': 403,
  'token.invalid': 400,
  'token.not_found': 404,
  'hotkeys.invalid': 400,
  'avatar.invalid': 400,
  'mail.not_configured': 400,
  'config.invalid': 400,
  'import.source_invalid': 400,
  'import.source_too_old': 400,
  'import.conflict': 409,
  'secret.mismatch': 500,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ValidationErrors = Record<string, string[] | string>;

export interface AppErrorOptions {
  validationErrors?: ValidationErrors;
  /**
   * Label Studio's own body for this refusal where it is not the error envelope (the hotkeys `{error, details}`,
   * the self-removal `{detail}`): rendered as is, with the code's status.
   */
  body?: Record<string, unknown>;
  /** Seconds after which trying again may succeed: sent as `Retry-After` (a lockout, a throttle). */
  retryAfterSeconds?: number;
}

/** The one error type of the product; the HTTP layer renders it as Label Studio's error envelope. */
export class AppError extends Error {
  readonly status: number;
  readonly validationErrors: ValidationErrors | undefined;
  readonly body: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    options: AppErrorOptions = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.validationErrors = options.validationErrors;
    this.body = options.body;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** DRF's "Validation error" with per-field messages; a domain code may say which rule failed. */
  static validation(errors: ValidationErrors, code: ErrorCode = 'request.invalid'): AppError {
    return new AppError(code, 'Validation error', { validationErrors: errors });
  }

  static notFound(detail = 'Not found.'): AppError {
    return new AppError('resource.not_found', detail);
  }

  static forbidden(detail = 'You do not have permission to perform this action.', code: ErrorCode = 'permission.denied'): AppError {
    return new AppError(code, detail);
  }

  static unauthenticated(detail = 'Authentication credentials were not provided.'): AppError {
    return new AppError('auth.not_authenticated', detail);
  }
}
