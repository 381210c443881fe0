/**
 * The permission matrix's plan and its judge: which /api operations the declared routes give, what each cell
 * (operation × caller × organization) must answer according to the permission table (with the organization's
 * overrides), the route's declaration and the target rules, and whether an answer matches. Nothing here is written
 * per cell: it is all derived.
 */
import type { AppConfig } from '#src/config.js';
import { ERROR_STATUS, type AppError, type ErrorCode } from '#src/errors.js';
import type { DeclaredRoute } from '#src/http/request-context.js';
import { roleAllows, type PermissionOverrides } from '#src/policies/permissions.js';
import { isMemberAccess, type MemberAccess } from '#src/policies/route-access.js';
import type { TargetRule } from '#src/policies/target-rules.js';
import { OWNER_CANNOT_LEAVE_MESSAGE } from '#src/services/member-lifecycle.service.js';
import { SESSION_ONLY_MESSAGE } from '#src/services/password-change.service.js';
import type { RoleCode } from '#src/storage/schema.js';
import { assertEnvelope } from './envelope.js';
import { resourceOf } from './hostile-requests.js';
import { readOperations, type HttpMethod, type SchemaFacts } from './openapi-operations.js';

/**
 * What a request can name, and the value that names one: ids, except a customizable permission, named by its key
 * (`organizations.invite`). The fixture has one of each in either organization.
 */
export interface Ids {
  organizations: number;
  users: number;
  projects: number;
  tasks: number;
  permissions: string;
}
export type Resource = keyof Ids;
const RESOURCES: ReadonlySet<string> = new Set<Resource>(['organizations', 'users', 'projects', 'tasks', 'permissions']);
const isResource = (name: string): name is Resource => RESOURCES.has(name);

/** Every role of the table, and a user removed from their only organization (answered `membership.none`). */
export type CallerKind = RoleCode | 'removed';
export const CALLER_KINDS: readonly CallerKind[] = ['OW', 'AD', 'MA', 'RE', 'AN', 'NO', 'DI', 'removed'];

/**
 * Where the objects the request names live: the caller's organization; the second one; or, for an operation that
 * names an organization and something in it, the caller's organization with the second one's object (a member, a
 * customized permission of another organization asked for through one's own).
 */
export type Target = 'same' | 'other' | 'mixed';

/** A path, query or body parameter that names an object. */
export interface NamedParam {
  name: string;
  in: 'path' | 'query' | 'body';
  resource: Resource;
}

/** One /api operation a member permission guards, with what the OpenAPI document says about its request. */
export interface MatrixOperation {
  /** `METHOD /path/{param}`, as the OpenAPI document names it. */
  key: string;
  method: HttpMethod;
  /** The OpenAPI path template. */
  path: string;
  access: MemberAccess;
  params: NamedParam[];
  /** The JSON request body schema, when the operation declares one. */
  body?: SchemaFacts;
}

export interface MatrixPlan {
  operations: MatrixOperation[];
  /** Declared routes left out of the matrix (public, optional, non-/api, HEAD, 405-only), for their own assertions. */
  outside: DeclaredRoute[];
  /** Routes the plan could not read: each one is a test failure. */
  problems: string[];
}

/** Fastify's `/api/users/:id/` as OpenAPI writes it: `/api/users/{id}/`. */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/**
 * Query parameters that name an object: `project` → projects. They are filled even when optional (the hotkeys'
 * `?project=`), so that the other-organization cell asks about a foreign object.
 */
function queryResource(name: string): Resource | undefined {
  const plural = `${name}s`;
  return isResource(plural) ? plural : undefined;
}

/** Body properties that name an object: `user_id` → users (a role change's or a transfer's member). */
const bodyResource = (name: string): Resource | undefined => (name.endsWith('_id') ? queryResource(name.slice(0, -3)) : undefined);

/**
 * Operations whose query parameters filter a list of the caller's organization (`?user=`, `?project=` on the
 * activity log) rather than name an object to look up: another organization's id simply matches nothing, which is
 * no refusal. They are left out of the cells' parameters; a test of their own checks that nothing of another
 * organization ever comes back.
 */
export const FILTERING_OPERATIONS: ReadonlySet<string> = new Set(['GET /api/activity-logs/', 'GET /api/activity-logs/export']);

/** Reads the matrix's operations from the declared routes, with their requests' shape from the OpenAPI document. */
export function planMatrix(routes: readonly DeclaredRoute[], document: unknown): MatrixPlan {
  const documented = new Map(readOperations(document).map((operation) => [operation.key, operation]));
  const plan: MatrixPlan = { operations: [], outside: [], problems: [] };
  for (const route of routes) {
    const member = route.access !== undefined && isMemberAccess(route.access) ? route.access : undefined;
    if (route.method === 'HEAD' || route.methodNotAllowed || !route.url.startsWith('/api/') || !member) {
      plan.outside.push(route);
      continue;
    }
    const path = openApiPath(route.url);
    const key = `${route.method} ${path}`;
    const operation = documented.get(key);
    if (!operation) {
      plan.problems.push(`${key}: a member route the OpenAPI document does not list`);
      continue;
    }
    const params: NamedParam[] = [];
    for (const param of operation.pathParams) {
      const resource = resourceOf(path, param.name);
      if (isResource(resource)) params.push({ name: param.name, in: 'path', resource });
      else plan.problems.push(`${key}: path parameter {${param.name}} names no known resource ("${resource}")`);
    }
    if (!FILTERING_OPERATIONS.has(key)) {
      for (const param of operation.queryParams) {
        const resource = queryResource(param.name);
        if (resource) params.push({ name: param.name, in: 'query', resource });
        else if (param.required) plan.problems.push(`${key}: required query parameter ${param.name} names no known resource`);
      }
    }
    for (const name of operation.body?.properties.keys() ?? []) {
      const resource = bodyResource(name);
      if (resource) params.push({ name, in: 'body', resource });
    }
    plan.operations.push({ key, method: operation.method, path, access: member, params, body: operation.body });
  }
  return plan;
}

/** The organization path parameter an operation acts in, when it names one (`/api/organizations/{id}/…`). */
const scopeParamOf = (operation: MatrixOperation): string | undefined => {
  const scope = operation.access.organization;
  return scope === undefined || scope === 'active' ? undefined : scope.param;
};

/**
 * The organizations a cell of this operation can aim at. An operation that names nothing acts on the caller's own
 * organization whatever the target, so its other-organization cell would repeat the same-organization one; the
 * mixed cell exists only where an organization is named along with something in it.
 */
export function targetsOf(operation: MatrixOperation): Target[] {
  if (operation.params.length === 0) return ['same'];
  const scope = scopeParamOf(operation);
  const inside = operation.params.some((param) => param.name !== scope);
  return scope !== undefined && inside ? ['same', 'other', 'mixed'] : ['same', 'other'];
}

/** The ids a cell of `target` fills in: the mixed cell takes the caller's organization and the other's objects. */
export function idsFor(target: Target, own: Ids, other: Ids): Ids {
  if (target === 'same') return own;
  return target === 'other' ? other : { ...other, organizations: own.organizations };
}

/** The operation's user parameter (`{user_id}`, `{id}` under /api/users/, a body's `user_id`): the person acted on. */
export const userParamOf = (operation: MatrixOperation): NamedParam | undefined =>
  operation.params.find((param) => param.in !== 'query' && param.resource === 'users');

/**
 * Operations that check who is acted on beyond the permission table (src/policies/target-rules.ts), by the rule they
 * apply: the only operations where a same-organization cell of an allowed role may be refused, and then only with
 * the refusal that rule gives for that caller and that target.
 */
export const TARGET_RULES: Readonly<Record<string, TargetRule>> = {
  'PATCH /api/users/{id}/': 'change_user',
  'POST /api/users/{id}/avatar/': 'change_user',
  'DELETE /api/users/{id}/avatar/': 'change_user',
  'DELETE /api/users/{id}/': 'delete_user',
  'DELETE /api/organizations/{id}/memberships/{user_id}': 'remove_member',
  'PATCH /api/organizations/{id}/memberships': 'change_role',
  'DELETE /api/organizations/{id}/memberships/{user_id}/two-factor': 'reset_two_factor',
};

/** What a cell must answer. */
export type Expected =
  | { kind: 'refused'; status: number; code: ErrorCode; detail?: string; why: string; byRule?: boolean }
  /** Past authorization: a 2xx, or a 4xx that is no refusal (validation, 409 for an existing token…). */
  | { kind: 'served'; why: string };

const refused = (status: number, code: ErrorCode, why: string, detail?: string): Expected => ({ kind: 'refused', status, code, why, detail });

/** The server settings an operation rule reads. */
export type MatrixSettings = Pick<AppConfig['security'], 'allowOrganizationCreation'>;

/**
 * Documented rules about the caller themself rather than a person acted on (docs/permissions.md, the services):
 * a refusal an allowed role still gets on its own organization, or null. One rule per operation, never per cell.
 */
/** Changing one's own two-factor sign-in takes a web session; the matrix calls with legacy tokens. */
const sessionOnly = (): Expected => ({
  kind: 'refused',
  status: 403,
  code: 'two_factor.session_required',
  why: 'two-factor sign-in changes from a web session only',
  byRule: true,
});

const OPERATION_RULES: Readonly<Record<string, (role: RoleCode, settings: MatrixSettings) => Expected | null>> = {
  'POST /api/current-user/two-factor/enrolment': sessionOnly,
  'POST /api/current-user/two-factor/enrolment/confirm': sessionOnly,
  'POST /api/current-user/two-factor/recovery-codes': sessionOnly,
  'POST /api/current-user/two-factor/disable': sessionOnly,
  // There is always exactly one owner: they hand the organization over before they may leave it.
  'POST /api/organizations/{id}/leave': (role) =>
    role === 'OW' ? { ...refused(403, 'membership.last_owner', 'the owner must transfer ownership first', OWNER_CANNOT_LEAVE_MESSAGE), byRule: true } : null,
  // The matrix calls with tokens; only a web session may change the password (a leaked token must not take the account).
  'POST /api/current-user/password/': () => ({ ...refused(403, 'permission.denied', 'only a web session changes the password', SESSION_ONLY_MESSAGE), byRule: true }),
  // The instance may forbid members to create organizations (LABEL_STUDIO_ALLOW_ORGANIZATION_CREATION).
  'POST /api/organizations/': (_role, settings) =>
    settings.allowOrganizationCreation ? null : { ...refused(403, 'organization.creation_closed', 'organization creation is off'), byRule: true },
};

const INACTIVE: Readonly<Record<'NO' | 'DI' | 'removed', ErrorCode>> = {
  NO: 'membership.pending',
  DI: 'membership.deactivated',
  removed: 'membership.none',
};

/** What decides a cell's answer besides the operation. */
export interface CellFacts {
  /** Undefined: no credentials. */
  caller: CallerKind | undefined;
  target: Target;
  /** The overrides of the caller's organization: what the table says there. */
  overrides: PermissionOverrides;
  /** The target rule's refusal for this caller and target (same organization only), null when it lets them act. */
  targetRefusal: AppError | null;
  settings: MatrixSettings;
}

/** The answer of one cell, from the permission table and its overrides, the route's declaration and the rules. */
export function expectedOutcome(operation: MatrixOperation, facts: CellFacts): Expected {
  const { caller, target } = facts;
  if (caller === undefined) return refused(401, 'auth.not_authenticated', 'no credentials');
  const { access } = operation;
  const scope = access.organization ?? 'active';
  if (scope !== 'active') {
    // The actor is resolved in the organization the URL names: whoever has no live membership there is an outsider,
    // whatever their state in their own organization (a pending member of A is no member of B at all; a member
    // removed from A is no longer one of A).
    const outsider =
      scope.outsiders === 'forbidden'
        ? refused(403, 'permission.denied', `not a member of the organization {${scope.param}} names: forbidden`)
        : refused(404, 'resource.not_found', `not a member of the organization {${scope.param}} names: not found`);
    if (target === 'other' || caller === 'removed') return outsider;
  } else if (target !== 'same' && operation.params.length === 0) {
    throw new Error(`${operation.key}: names nothing, so its ${target}-organization cell is its same-organization one`);
  }
  if (caller === 'removed' || caller === 'NO' || caller === 'DI') {
    return refused(403, INACTIVE[caller], `${caller} members may do nothing`);
  }
  if (!roleAllows(caller, access.permission, facts.overrides)) {
    const customized = facts.overrides.has(access.permission) ? ' (as customized)' : '';
    return refused(403, 'permission.denied', `${caller} does not hold ${access.permission}${customized}`, access.denied);
  }
  // Checked in the caller's organization, then the object is looked up there: another's does not exist.
  if (target !== 'same') return refused(404, 'resource.not_found', `names an object of another organization (${target} cell)`);
  const rule = OPERATION_RULES[operation.key]?.(caller, facts.settings);
  if (rule) return rule;
  if (facts.targetRefusal) {
    const refusal = facts.targetRefusal;
    const why = `target rule ${TARGET_RULES[operation.key] ?? '?'}: ${refusal.detail}`;
    return { kind: 'refused', status: refusal.status, code: refusal.code, why, byRule: true };
  }
  const customized = facts.overrides.has(access.permission) ? ' (as customized)' : '';
  return { kind: 'served', why: `${caller} holds ${access.permission}${customized}` };
}

interface EnvelopeFields {
  code?: unknown;
  detail?: unknown;
}

const excerpt = (text: string, max = 200): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

/** Why an answer is not a refusal with one of `codes` (each at its own status), or undefined when it is. */
export function refusalProblem(status: number, text: string, codes: readonly ErrorCode[]): string | undefined {
  const why = `one of ${codes.join(', ')}`;
  const problems = codes.map((code) => mismatchOf(refused(ERROR_STATUS[code], code, why), status, text));
  return problems.includes(undefined) ? undefined : problems[0];
}

/** Why an answer does not match the expectation, or undefined when it does. */
export function mismatchOf(expected: Expected, status: number, text: string): string | undefined {
  if (status >= 500) return `server error ${status}: ${excerpt(text)}`;
  let body: EnvelopeFields = {};
  if (status >= 400) {
    try {
      body = assertEnvelope(JSON.parse(text), status);
    } catch (error) {
      return `${status} without Label Studio's error envelope (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    }
  }
  const got = `${status}${typeof body.code === 'string' ? ` ${body.code}` : ''}: ${excerpt(text)}`;
  if (expected.kind === 'refused') {
    const wanted = `${expected.status} ${expected.code}${expected.detail ? ` "${expected.detail}"` : ''}`;
    if (status !== expected.status || body.code !== expected.code || (expected.detail && body.detail !== expected.detail)) {
      return `expected ${wanted} (${expected.why}), got ${got}`;
    }
    return undefined;
  }
  if (status >= 200 && status < 300) return undefined;
  // Every object a same-organization cell names exists, so a 404 would be the server losing one of the caller's own.
  if (status === 401 || status === 403 || status === 404 || status < 400) return `expected to be served (${expected.why}), got ${got}`;
  return undefined;
}
