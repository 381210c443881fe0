import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorCode, type ValidationErrors } from '#src/errors.js';
import { toValidationErrors } from '#src/http/validation-errors.js';
import { faultToAppError } from '#src/repositories/database-faults.js';
import { VERSION } from '#src/version.js';

/** Label Studio's error envelope (§4.1), plus our stable `code`. */
export interface ErrorEnvelope {
  id: string;
  status_code: number;
  version: string;
  detail: string;
  exc_info: null;
  validation_errors?: ValidationErrors;
  code: ErrorCode;
}

/** The envelope of an error: Label Studio's fields in its order, then `code`. */
export function envelope(error: AppError): ErrorEnvelope {
  return {
    id: randomUUID(),
    status_code: error.status,
    version: VERSION,
    detail: error.detail,
    exc_info: null,
    ...(error.validationErrors ? { validation_errors: error.validationErrors } : {}),
    code: error.code,
  };
}

/** The code Fastify's and its plugins' own 4xx errors stand for. */
function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'resource.not_found';
  if (status === 405) return 'request.method_not_allowed';
  if (status === 413) return 'request.too_large';
  if (status === 415) return 'request.unsupported_media_type';
  return 'request.malformed';
}

/** Maps whatever was thrown to an AppError; unknown errors become a generic 500 (a bug, logged with the request id). */
function toAppError(app: FastifyInstance, error: FastifyError | AppError | Error, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    // Query and path problems are reported like body fields, as DRF does.
    return AppError.validation(toValidationErrors(fe.validation));
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && fe.statusCode === 400)) {
    return new AppError('request.malformed', `JSON parse error - ${error.message}`);
  }
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new AppError('request.malformed', 'JSON parse error - empty body');
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) return new AppError('request.too_large', 'Request body is too large.');
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
    return new AppError('request.unsupported_media_type', `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.`);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = codeForStatus(fe.statusCode);
    return new AppError(code, code === 'request.malformed' ? `Malformed request - ${error.message}` : error.message);
  }
  // A constraint or value the database refused is the client's conflict (two requests racing): never a 500.
  const fault = app.ctx.database.classifyError(error);
  if (fault) {
    request.log.warn({ reqId: request.id, fault }, 'database refused a value that passed validation');
    return faultToAppError(fault);
  }
  return new AppError('internal', 'Internal server error. The error was logged with this request id.');
}

/** Renders every error, and unknown paths, as the envelope; never an HTML page or a stack trace to an API client. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(app, error, request);
    if (appError.status >= 500) request.log.error({ err: error, reqId: request.id, code: appError.code }, 'request failed');
    else request.log.info({ reqId: request.id, code: appError.code }, 'request refused');
    if (appError.status === 401) reply.header('WWW-Authenticate', 'Token');
    if (appError.retryAfterSeconds !== undefined) reply.header('Retry-After', String(appError.retryAfterSeconds));
    return reply.status(appError.status).send(appError.body ?? envelope(appError));
  });
  app.setNotFoundHandler(async (_request, reply) => reply.status(404).send(envelope(AppError.notFound())));
});
