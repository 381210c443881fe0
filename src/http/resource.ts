import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods, RouteShorthandOptions } from 'fastify';
import { AppError } from '#src/errors.js';
import type { RouteAuthConfig } from '#src/http/request-context.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const ALL_METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface MethodSpec {
  schema?: FastifySchema;
  config?: RouteAuthConfig;
  bodyLimit?: number;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * Declares one URL with its methods; every other method answers Label Studio's 405 envelope
 * (`Method "PUT" not allowed.`) instead of a 404.
 */
export function resource(app: FastifyInstance, url: string, methods: Partial<Record<Method, MethodSpec>>): void {
  for (const method of ALL_METHODS) {
    const spec = methods[method];
    if (!spec) continue;
    const options: RouteShorthandOptions = { schema: spec.schema, config: spec.config ?? {} };
    if (spec.bodyLimit) options.bodyLimit = spec.bodyLimit;
    app.route({ method, url, ...options, handler: spec.handler });
  }
  const others = ALL_METHODS.filter((m) => !methods[m]) as HTTPMethods[];
  // Like DRF, authentication runs before the method check, with the least strict setting of the path's methods.
  const modes = Object.values(methods).map((spec) => spec?.config?.auth ?? 'required');
  const auth = modes.includes('none') ? 'none' : modes.includes('optional') ? 'optional' : 'required';
  if (others.length > 0) {
    app.route({
      method: others,
      url,
      schema: { hide: true },
      config: { auth },
      handler: async (request) => {
        throw new AppError('method_not_allowed', 405, `Method "${request.method}" not allowed.`);
      },
    });
  }
}
