import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '#src/errors.js';
import { isMemberAccess } from '#src/policies/route-access.js';
import { ENROLMENT_REQUIRED_MESSAGE } from '#src/services/two-factor.service.js';

/**
 * Where an organization requires two-factor sign-in, a web session of a member who has not enrolled may call only
 * the enrolment endpoints (logout is a page): every other member route answers 403 `two_factor.enrolment_required`,
 * and the web app sends them to enrolment. API tokens are not sessions and are left as they are. Runs after the auth
 * pipeline (registered after it) has resolved the member.
 */
export const twoFactorGatePlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const { via, actor } = request.action;
    const access = request.routeOptions.config.access;
    if (via !== 'session' || !actor || access === undefined || !isMemberAccess(access) || access.duringTwoFactorEnrolment) return;
    if (await app.ctx.services.twoFactor.mustEnrol(actor.user, actor.organizationId)) {
      throw new AppError('two_factor.enrolment_required', ENROLMENT_REQUIRED_MESSAGE);
    }
  });
});
