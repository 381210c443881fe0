import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '#src/errors.js';
import { coerceFormBody, jsonDepthExceeds, MAX_JSON_DEPTH, nulProblems } from '#src/http/body-rules.js';
import type { Upload } from '#src/http/request-context.js';
import { AVATAR_MAX_BYTES } from '#src/services/avatar.service.js';

/** Multipart limits: one file (the avatar, read one byte past its limit to report it as too large), few small fields. */
const MULTIPART_LIMITS = { files: 1, fileSize: AVATAR_MAX_BYTES + 1, fields: 50, fieldSize: 1024 * 1024, parts: 60 };

const isForm = (request: FastifyRequest): boolean =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

/** Reads a multipart body: fields become the body, files the request's uploads. Malformed input is a 400, never a 500. */
async function readMultipart(request: FastifyRequest): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  try {
    for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        const upload: Upload = {
          fieldName: part.fieldname,
          fileName: part.filename,
          contentType: part.mimetype,
          data,
          truncated: part.file.truncated,
        };
        request.uploads.push(upload);
      } else {
        body[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
      }
    }
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) throw new AppError('request.too_large', 'Request body is too large.');
    throw new AppError('request.malformed', `Multipart form parse error - ${error instanceof Error ? error.message : String(error)}`);
  }
  return body;
}

function dropNulQueryValues(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query) return;
  for (const [key, value] of Object.entries(query)) {
    if (nulProblems({ [key]: value })) delete query[key];
  }
}

/**
 * One body parser for every route: JSON (depth-limited), form-urlencoded and multipart all end as `request.body`
 * read by the same schema; other content types with a body are refused with 415 where the route takes a body; and no
 * text anywhere in the request may hold a NUL character.
 */
export const bodyPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('uploads');
  app.addHook('onRequest', async (request) => {
    request.uploads = [];
  });

  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    if (typeof text === 'string' && jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(new AppError('request.malformed', `JSON parse error - nesting deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    defaultJson(request, typeof text === 'string' ? text : text.toString('utf8'), done);
  });
  // Bodiless POSTs (the SDK sends `Content-Length: 0` without a type) parse as "no body"; a real body of a type no
  // parser reads is refused where the route would read it.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const length = Buffer.isBuffer(body) ? body.length : 0;
    if (length === 0) return done(null, undefined);
    if ((request.routeOptions.schema as FastifySchema | undefined)?.body) {
      return done(new AppError('request.unsupported_media_type', `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.`), undefined);
    }
    return done(null, undefined);
  });

  app.addHook('preValidation', async (request) => {
    if (request.isMultipart()) request.body = await readMultipart(request);
    const schema = request.routeOptions.schema as FastifySchema | undefined;
    if ((request.isMultipart() || isForm(request)) && typeof request.body === 'object' && request.body !== null) {
      request.body = coerceFormBody(request.body as Record<string, unknown>, schema?.body);
    }
    // The pages answer people: a NUL in their query (`next`, an invite `token`) makes that value absent, so the
    // visitor lands where a missing value leads; everywhere else the request is refused.
    if (request.routeOptions.config.access === 'optional') dropNulQueryValues(request);
    const problems = nulProblems(request.query) ?? nulProblems(request.params) ?? nulProblems(request.body);
    if (problems) throw AppError.validation(problems);
  });
});
