/**
 * Generates hostile requests for every operation of the OpenAPI document: path spellings (cookie-only for unsafe
 * methods), hostile path ids, hostile query values, whole-body attacks, multipart, and every body property.
 */
import { attackedProperties, bodyVariants, formFields, objectSchemaOf, propertyValues, validBody, type BodyVariant } from './hostile-bodies.js';
import { multipartVariants } from './hostile-multipart.js';
import { PATH_VALUES, QUERY_VALUES } from './hostile-values.js';
import type { HttpMethod, Operation } from './openapi-operations.js';

export type AuthMode = 'token' | 'session-without-csrf';

export interface HostileRequest {
  /** `METHOD /path/template`. */
  operation: string;
  /** What makes this request hostile, for failure messages. */
  variant: string;
  method: HttpMethod;
  /** Path and query, appended verbatim to the origin (so `//api` and `%61` survive). */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  chunked?: boolean;
  auth: AuthMode;
  /** Must be refused with a 4xx: cookie-only unsafe calls, and ids that name nothing of the caller's. */
  mustRefuse: boolean;
}

export interface RequestGroup {
  operation: Operation;
  requests: HostileRequest[];
}

/** What names an object: an id, or a key (`organizations.invite` names a customized permission). */
export type ObjectRef = number | string;

/** Real ids to fill path and query parameters, by resource name (`users`, `projects`, `permissions`, …). */
export interface FixtureIds {
  /** Objects of the caller's own organization. */
  own: Readonly<Record<string, ObjectRef>>;
  /** Objects of the second organization: the caller must be refused. */
  foreign: Readonly<Record<string, ObjectRef>>;
  /** Per DELETE operation key: an object made to be deleted, so a success destroys nothing the suite needs. */
  victims: Readonly<Record<string, ObjectRef>>;
  /**
   * Valid values (raw JSON) for required body properties the document cannot make valid on its own: a role code, a
   * permission that can be customized. Body properties named `<resource>_id` get the own object's id.
   */
  examples?: Readonly<Record<string, string>>;
}

const UNSAFE: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isUnsafe = (method: HttpMethod): boolean => UNSAFE.has(method);

const JSON_CT = { 'content-type': 'application/json' };
const FORM_CT = { 'content-type': 'application/x-www-form-urlencoded' };

/** The resource a path parameter names: `user_id` → users; `{id}` → the segment before it. */
export function resourceOf(path: string, param: string): string {
  if (param.endsWith('_id')) return `${param.slice(0, -3)}s`;
  const segments = path.split('/');
  return segments[segments.indexOf(`{${param}}`) - 1] ?? param;
}

const placeholders = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');

/** The resource a body property names: `user_id` → users; undefined for any other name. */
const bodyResourceOf = (name: string): string | undefined => (name.endsWith('_id') ? `${name.slice(0, -3)}s` : undefined);

class OperationRequests {
  readonly requests: HostileRequest[] = [];
  /**
   * The fixture's values for the body's required properties (its objects, the examples): every body sent carries
   * them unless the property is the one attacked, so that the rest of a request is valid and reaches the handler.
   */
  private readonly fixed = new Map<string, string>();

  constructor(
    private readonly op: Operation,
    private readonly ids: FixtureIds,
    private readonly problems: string[],
  ) {
    const object = op.body ? objectSchemaOf(op.body) : undefined;
    for (const name of object?.required ?? []) {
      const resource = bodyResourceOf(name);
      const own = resource === undefined ? undefined : ids.own[resource];
      const value = own === undefined ? ids.examples?.[name] : JSON.stringify(own);
      if (value !== undefined) this.fixed.set(name, value);
    }
  }

  private idFor(name: string): string {
    const resource = resourceOf(this.op.path, name);
    const isTarget = this.op.method === 'DELETE' && placeholders(this.op.path).at(-1) === name;
    const id = isTarget ? this.ids.victims[this.op.key] : this.ids.own[resource];
    if (id !== undefined) return String(id);
    this.problems.push(`${this.op.key}: no ${isTarget ? 'deletion target' : 'fixture id'} for {${name}} (resource "${resource}")`);
    return '1';
  }

  /** The path with real ids, some parameters replaced by raw values. */
  path(overrides: Readonly<Record<string, string>> = {}): string {
    return this.op.path.replace(/\{([^}]+)\}/g, (_match, name: string) => overrides[name] ?? this.idFor(name));
  }

  /** Required query parameters with real ids, then the extra raw pairs. */
  query(extra: readonly string[] = [], omit?: string): string {
    const pairs = this.op.queryParams
      .filter((q) => q.required && q.name !== omit)
      .map((q) => {
        const id = this.ids.own[q.name] ?? this.ids.own[`${q.name}s`];
        if (id === undefined) this.problems.push(`${this.op.key}: no fixture id for required query parameter ${q.name}`);
        return `${q.name}=${id ?? 1}`;
      });
    const all = [...pairs, ...extra];
    return all.length > 0 ? `?${all.join('&')}` : '';
  }

  private add(variant: string, target: string, body: BodyVariant | undefined, extra: Partial<HostileRequest> = {}): void {
    this.requests.push({
      operation: this.op.key,
      variant,
      method: this.op.method,
      target,
      headers: { ...(body?.headers ?? {}) },
      body: body?.body,
      chunked: body?.chunked,
      auth: 'token',
      mustRefuse: false,
      ...extra,
    });
  }

  /** The valid JSON body sent alongside path and query attacks (DELETE and GET send none). */
  private plainBody(): BodyVariant | undefined {
    if (this.op.method === 'GET' || this.op.method === 'DELETE') return undefined;
    return { label: 'valid body', headers: JSON_CT, body: validBody(this.op.body, this.fixed) };
  }

  spellings(): void {
    const canonical = this.path();
    if (!canonical.startsWith('/api/')) return;
    const rest = canonical.slice('/api'.length);
    const letter = rest.charCodeAt(1).toString(16).toUpperCase();
    const spelled: [string, string][] = [
      ['/%61pi/…', `/%61pi${rest}`],
      ['/a%70i/…', `/a%70i${rest}`],
      ['//api/…', `/${canonical}`],
      ['/api//…', `/api/${rest}`],
      [`/api/%${letter}… (first letter after /api/ encoded)`, `/api/%${letter}${rest.slice(2)}`],
    ];
    const query = this.query();
    if (!isUnsafe(this.op.method)) {
      for (const [label, path] of spelled) this.add(`path spelling ${label}`, path + query, undefined);
      return;
    }
    // A page on another site can make a browser send exactly this: the session cookie and a form, no CSRF header.
    // A fresh form each time (new unique e-mail), so one wrongly accepted request does not mask the next as a duplicate.
    const form = (): BodyVariant => ({ label: 'form', headers: FORM_CT, body: new URLSearchParams(formFields(this.op.body, this.fixed)).toString() });
    const cookieOnly = { auth: 'session-without-csrf' as const, mustRefuse: true };
    for (const [label, path] of [['/api/… (canonical)', canonical] as [string, string], ...spelled]) {
      this.add(`path spelling ${label}, session cookie only, form body`, path + query, form(), cookieOnly);
    }
    const textPlain: BodyVariant = { label: 'text/plain', headers: { 'content-type': 'text/plain' }, body: validBody(this.op.body, this.fixed) };
    this.add('path spelling /%61pi/…, session cookie only, text/plain JSON body', `/%61pi${rest}${query}`, textPlain, cookieOnly);
  }

  pathIds(): void {
    for (const name of placeholders(this.op.path)) {
      // No id below names an object of the caller's organization, so each must be refused.
      for (const value of PATH_VALUES) this.add(`path {${name}}=${value.label}`, this.path({ [name]: value.raw }) + this.query(), this.plainBody(), { mustRefuse: true });
      const foreign = this.ids.foreign[resourceOf(this.op.path, name)];
      if (foreign !== undefined) {
        this.add(`path {${name}}=${foreign} (second organization)`, this.path({ [name]: String(foreign) }) + this.query(), this.plainBody(), { mustRefuse: true });
      }
    }
  }

  queryValues(): void {
    for (const param of this.op.queryParams) {
      const others = (pair: string): string => this.path() + this.query([pair], param.name);
      for (const value of QUERY_VALUES) this.add(`query ${param.name}=${value.label}`, others(`${param.name}=${value.raw}`), this.plainBody());
      this.add(`query ${param.name} repeated`, others(`${param.name}=1&${param.name}=2`), this.plainBody());
      this.add(`query ${param.name}[]=1`, others(`${param.name}[]=1`), this.plainBody());
      this.add(`query ${param.name}[a][b]=1`, others(`${param.name}[a][b]=1`), this.plainBody());
      if (param.required) this.add(`query ${param.name} missing`, this.path() + this.query([], param.name), this.plainBody());
    }
  }

  bodies(): void {
    if (!isUnsafe(this.op.method)) return;
    const target = this.path() + this.query();
    for (const variant of [...bodyVariants(this.op.body, this.fixed), ...multipartVariants()]) this.add(`body: ${variant.label}`, target, variant);
  }

  /** A body naming the second organization's object (`user_id` of its owner): like a foreign path id, refused. */
  bodyIds(): void {
    if (!isUnsafe(this.op.method)) return;
    const target = this.path() + this.query();
    for (const name of this.fixed.keys()) {
      const resource = bodyResourceOf(name);
      const foreign = resource === undefined ? undefined : this.ids.foreign[resource];
      if (foreign === undefined) continue;
      const body = validBody(this.op.body, new Map([...this.fixed, [name, JSON.stringify(foreign)]]));
      this.add(`body.${name}=${foreign} (second organization)`, target, { label: 'foreign', headers: JSON_CT, body }, { mustRefuse: true });
    }
  }

  properties(): void {
    const object = this.op.body ? objectSchemaOf(this.op.body) : undefined;
    if (!object || !isUnsafe(this.op.method)) return;
    const target = this.path() + this.query();
    for (const [name, schema] of attackedProperties(object)) {
      for (const value of propertyValues(name, schema)) {
        const body = validBody(this.op.body, new Map([...this.fixed, [name, value.json]]));
        this.add(`body.${name}: ${value.label}`, target, { label: value.label, headers: JSON_CT, body });
      }
    }
  }
}

/** Every hostile request for every operation, one group per operation; `problems` lists ids it could not fill. */
export function generateHostileRequests(operations: readonly Operation[], ids: FixtureIds): { groups: RequestGroup[]; problems: string[] } {
  const problems: string[] = [];
  const groups = operations.map((operation) => {
    const builder = new OperationRequests(operation, ids, problems);
    // Cookie-only spellings go first, while a deletion target still exists to be (wrongly) deleted.
    builder.spellings();
    builder.pathIds();
    builder.bodyIds();
    builder.queryValues();
    builder.bodies();
    builder.properties();
    return { operation, requests: builder.requests };
  });
  return { groups, problems: [...new Set(problems)] };
}
