/** Stable error codes: clients and tests rely on `code`, people read `detail`. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_error'
  | 'not_authenticated'
  | 'authentication_failed'
  | 'permission_denied'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'config_error'
  | 'internal_error';

export type ValidationErrors = Record<string, string[] | string>;

/** The one error type of the product; the HTTP layer renders it as Label Studio's error envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly detail: string,
    readonly validationErrors?: ValidationErrors,
  ) {
    super(detail);
    this.name = 'AppError';
  }

  static validation(errors: ValidationErrors): AppError {
    return new AppError('validation_error', 400, 'Validation error', errors);
  }

  static notFound(detail = 'Not found.'): AppError {
    return new AppError('not_found', 404, detail);
  }

  static forbidden(detail = 'You do not have permission to perform this action.'): AppError {
    return new AppError('permission_denied', 403, detail);
  }

  static unauthenticated(detail = 'Authentication credentials were not provided.'): AppError {
    return new AppError('not_authenticated', 401, detail);
  }

  static conflict(detail: string): AppError {
    return new AppError('conflict', 409, detail);
  }
}
