import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ValidationErrors } from '#src/errors.js';
import { toValidationErrors } from '#src/http/validation-errors.js';
import { VERSION } from '#src/version.js';

/** Label Studio's error envelope (§4.1). */
export interface ErrorEnvelope {
  id: string;
  status_code: number;
  version: string;
  detail: string;
  exc_info: null;
  validation_errors?: ValidationErrors;
}

export function envelope(status: number, detail: string, validationErrors?: ValidationErrors): ErrorEnvelope {
  const body: ErrorEnvelope = { id: randomUUID(), status_code: status, version: VERSION, detail, exc_info: null };
  if (validationErrors) body.validation_errors = validationErrors;
  return body;
}

/** Maps whatever was thrown to an AppError; unknown errors become a generic 500 (a bug, logged with the request id). */
function toAppError(error: FastifyError | AppError | Error, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    // Query and path problems are reported like body fields, as DRF does.
    return AppError.validation(toValidationErrors(fe.validation));
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && fe.statusCode === 400)) {
    return new AppError('bad_request', 400, `JSON parse error - ${error.message}`);
  }
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new AppError('bad_request', 400, 'JSON parse error - empty body');
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
    return new AppError('payload_too_large', 413, 'Request body is too large.');
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
    return new AppError('unsupported_media_type', 415, `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.`);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError('bad_request', fe.statusCode, error.message);
  request.log.error({ err: error, reqId: request.id }, 'unhandled error');
  return new AppError('internal_error', 500, 'Internal server error. The error was logged with this request id.');
}

/** Renders every error, and unknown paths, as the envelope; never an HTML page or a stack trace to an API client. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error, request);
    if (appError.status === 401) reply.header('WWW-Authenticate', 'Token');
    return reply.status(appError.status).send(envelope(appError.status, appError.detail, appError.validationErrors));
  });
  app.setNotFoundHandler(async (_request, reply) => reply.status(404).send(envelope(404, 'Not found.')));
});
