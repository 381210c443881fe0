import type {} from '@fastify/cookie';
import type { UserRow } from '#src/storage/schema.js';
import type { AppContext } from '#src/context.js';

/** How the request proved who it is. */
export type AuthMethod = 'session' | 'legacy-token' | 'jwt';

export interface Principal {
  user: UserRow;
  method: AuthMethod;
}

/** Per-route options read by the auth plugin. */
export interface RouteAuthConfig {
  /** `required` (default for /api): 401 without credentials; `optional`; `none`: credentials are not even read. */
  auth?: 'required' | 'optional' | 'none';
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig extends RouteAuthConfig {}
}
