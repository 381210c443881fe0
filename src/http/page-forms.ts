import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError } from '#src/errors.js';
import type { FieldErrors } from '#src/http/pages/auth-pages.js';

/**
 * What the server-rendered pages (login, sign-up, second factor, password reset, invitations) share: how their forms
 * are read, how a refusal becomes field errors, how a page is sent.
 */

/** The forms post text fields; the CSRF field is checked by the request pipeline. */
export const FormBody = Type.Record(Type.String(), Type.Unknown());
/** Pages are not part of the API document. */
export const HTML_ROUTE = { hide: true } as const;
/** `?token=` of a link sent by e-mail. */
export const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 256 })) });

type Form = Record<string, unknown>;
/** A text field of a posted form; a missing or non-text field reads as empty. */
export const formText = (form: Form, key: string): string => (typeof form[key] === 'string' ? (form[key] as string) : '');
export const formChecked = (form: Form, key: string): boolean => ['on', 'true', '1', 'yes'].includes(formText(form, key).toLowerCase());

/** Field errors to show on a form; anything that is not a refusal with field errors is a real failure. */
export function fieldErrors(error: unknown): FieldErrors {
  if (error instanceof AppError && error.validationErrors) {
    return Object.fromEntries(Object.entries(error.validationErrors).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  }
  throw error;
}

export function sendPage(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(page);
}

/** A page whose URL carries a link's secret: never sent on as a Referer (the headers plugin keeps it from indexes). */
export function sendSecretLinkPage(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return sendPage(reply.header('Referrer-Policy', 'no-referrer'), page, status);
}
