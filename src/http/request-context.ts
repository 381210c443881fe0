import type {} from '@fastify/cookie';
import type { AppContext } from '#src/context.js';
import type { ActionContext } from '#src/policies/action-context.js';
import type { RouteAccess } from '#src/policies/route-access.js';

/** A file of a multipart request, read into memory up to the upload limit. */
export interface Upload {
  fieldName: string;
  fileName: string;
  contentType: string;
  data: Buffer;
  /** True when the file was longer than the limit and was cut. */
  truncated: boolean;
}

/** What every route declares (see http/route.ts), read by the request pipeline's hooks. */
export interface RouteDeclaration {
  /** Who may call it: checked by one hook before any handler runs. */
  access?: RouteAccess;
  /** Responses carry a secret (a token, an invite link): `Cache-Control: no-store`. */
  noStore?: boolean;
  /** The route only answers 405 for the methods its URL does not serve. */
  methodNotAllowed?: boolean;
}

/** A route as registered, with what it declared (for the route-permission tests and docs). */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  /** Only answers 405 (a method its URL does not serve). */
  methodNotAllowed: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Every route registered so far, with its declared access. */
    declaredRoutes(): DeclaredRoute[];
  }
  interface FastifyRequest {
    /** Who is calling, from where; once authorization ran, as which member of which organization. */
    action: ActionContext;
    /** Files of a multipart request (its other fields are the body). */
    uploads: Upload[];
  }
  interface FastifyContextConfig extends RouteDeclaration {}
}
