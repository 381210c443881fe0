import type {} from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static, TSchema } from '@sinclair/typebox';
import type {
  ContextConfigDefault,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  HTTPMethods,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import { AppError } from '#src/errors.js';
import type { ActionContext, MemberContext } from '#src/policies/action-context.js';
import { isMemberAccess, type MemberAccess, type RouteAccess } from '#src/policies/route-access.js';

/** The content type Fastify gives serialized JSON: bodies a route writes itself (streamed, remembered) say the same. */
export const JSON_TYPE = 'application/json; charset=utf-8';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const ALL_METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The request as the route's schemas type it: params, query and body need no casts. */
export type TypedRequest<S extends FastifySchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  S,
  TypeBoxTypeProvider
>;
export type TypedReply<S extends FastifySchema> = FastifyReply<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  ContextConfigDefault,
  S,
  TypeBoxTypeProvider
>;

type SuccessSchema<S> = S extends { response: infer R } ? (R extends { 200: infer T } ? T : R extends { 201: infer T } ? T : never) : never;
/** What the handler returns on success: the static type of the route's 200 (or 201) response schema. */
type SuccessBody<S> = SuccessSchema<S> extends TSchema ? Static<SuccessSchema<S>> : never;
/** Member routes hand their handler the resolved member; the others the caller's context as it is. */
type ContextFor<A extends RouteAccess> = A extends MemberAccess ? MemberContext : ActionContext;

/** One method of one URL: who may call it, its schemas (validation and OpenAPI), and the handler. */
export interface Operation<S extends FastifySchema, A extends RouteAccess> {
  access: A;
  schema: S;
  bodyLimit?: number;
  /** The response carries a secret (a token, an invite link): never cached. */
  noStore?: boolean;
  handler(request: TypedRequest<S>, reply: TypedReply<S>, context: ContextFor<A>): Promise<SuccessBody<S> | TypedReply<S>>;
}

/** Declares an operation; the type parameters come from the literal, so the handler is typed by its schemas. */
export function op<S extends FastifySchema, const A extends RouteAccess>(operation: Operation<S, A>): Operation<S, A> {
  return operation;
}

/** Any operation, its types erased for registration. */
interface ErasedOperation {
  access: RouteAccess;
  schema: FastifySchema;
  bodyLimit?: number;
  noStore?: boolean;
  handler(request: never, reply: never, context: never): Promise<unknown>;
}

/** The least strict access of a URL's methods: what an unsupported method is checked with before its 405. */
function loosest(accesses: RouteAccess[]): RouteAccess {
  if (accesses.includes('public')) return 'public';
  if (accesses.includes('optional')) return 'optional';
  const member = accesses.find(isMemberAccess);
  return member ? { ...member, permission: 'account.view', organization: 'active' } : 'public';
}

/**
 * Declares one URL with its methods; every other method answers Label Studio's 405 envelope (`Method "PUT" not
 * allowed.`) instead of a 404, after authentication as DRF does it.
 */
export function resource(app: FastifyInstance, url: string, methods: Partial<Record<Method, ErasedOperation>>): void {
  for (const method of ALL_METHODS) {
    const operation = methods[method];
    if (!operation) continue;
    app.route({
      method,
      url,
      schema: operation.schema,
      config: { access: operation.access, noStore: operation.noStore === true },
      ...(operation.bodyLimit ? { bodyLimit: operation.bodyLimit } : {}),
      handler: (request, reply) => operation.handler(request as never, reply as never, request.action as never),
    });
  }
  const others = ALL_METHODS.filter((m) => !methods[m]) as HTTPMethods[];
  if (others.length === 0) return;
  const declared = Object.values(methods).flatMap((operation) => (operation ? [operation.access] : []));
  app.route({
    method: others,
    url,
    schema: { hide: true },
    config: { access: loosest(declared), methodNotAllowed: true },
    handler: async (request) => {
      throw new AppError('request.method_not_allowed', `Method "${request.method}" not allowed.`);
    },
  });
}
