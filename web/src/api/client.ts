/**
 * The one way the pages talk to the server: same-origin fetch with the session cookie, the CSRF header on unsafe
 * calls, and every failure turned into an ApiError carrying the server's own message.
 */

export type ValidationErrors = Record<string, string[]>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly validationErrors: ValidationErrors = {},
    /** The envelope's stable `code` (`membership.own_role`, `permission.denied`…), when the server sent one. */
    readonly code?: string,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The message for one field, if the server rejected it. */
  fieldError(field: string): string | undefined {
    const messages = this.validationErrors[field];
    return messages && messages.length > 0 ? messages.join(' ') : undefined;
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function asMessages(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(asMessages);
  if (value && typeof value === 'object') return Object.values(value).flatMap(asMessages);
  return value === undefined || value === null ? [] : [String(value)];
}

/** Reads Label Studio's envelope, or the ad-hoc `{detail}` / `{error}` bodies some endpoints send. */
function errorFrom(status: number, body: unknown, statusText: string): ApiError {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const validation: ValidationErrors = {};
    const raw = record.validation_errors;
    if (raw && typeof raw === 'object') {
      for (const [field, value] of Object.entries(raw)) validation[field] = asMessages(value);
    }
    const detail = typeof record.detail === 'string' ? record.detail : typeof record.error === 'string' ? record.error : '';
    const code = typeof record.code === 'string' ? record.code : undefined;
    if (detail) return new ApiError(status, detail, validation, code);
  }
  if (status === 0) return new ApiError(0, 'The server could not be reached. Check your connection and try again.');
  return new ApiError(status, `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Where a member is sent when their organization requires two-factor sign-in and they have not set it up. */
export const TWO_FACTOR_SETUP = '/user/two-factor/setup/';

export interface RequestOptions {
  query?: Query;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

/** Sends one API request; resolves to the parsed JSON body (undefined for an empty one). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  if (UNSAFE.has(method)) {
    const csrf = readCookie('csrftoken');
    if (csrf) headers['X-CSRFToken'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(withQuery(`/api${path}`, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw errorFrom(0, undefined, '');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.status === 401) {
    // The session ended (timeout, logout elsewhere): back to the login form, then here again.
    const next = `${location.pathname}${location.search}`;
    location.assign(withQuery('/user/login/', { next }));
  }
  const failure = response.ok ? undefined : errorFrom(response.status, parsed, response.statusText);
  if (failure?.code === 'two_factor.enrolment_required' && location.pathname !== TWO_FACTOR_SETUP) {
    // The organization requires two-factor sign-in (perhaps since a moment ago): set it up, then come back here.
    location.assign(withQuery(TWO_FACTOR_SETUP, { next: `${location.pathname}${location.search}` }));
  }
  if (failure) throw failure;
  return parsed as T;
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, json?: unknown) => request<T>('POST', path, { json }),
  patch: <T>(path: string, json: unknown) => request<T>('PATCH', path, { json }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
};

/** A readable message for anything a call may throw. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/**
 * The message with the per-field reasons a validation error carries ("Validation error" alone says nothing), for
 * places that have no field to show them beside, such as one line per member in a bulk change.
 */
export function fullMessageOf(error: unknown): string {
  if (!(error instanceof ApiError)) return messageOf(error);
  const reasons = Object.values(error.validationErrors).flat();
  return reasons.length > 0 ? reasons.join(' ') : error.detail;
}
