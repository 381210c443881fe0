import type { FastifyInstance } from 'fastify';
import { presentEnrolment, presentMemberTwoFactor, presentRequirement, presentTwoFactorStatus } from '#src/http/presenters/two-factor.presenter.js';
import { op, resource } from '#src/http/route.js';
import { errorResponses } from '#src/http/schemas/common.schema.js';
import { MemberParams, OrganizationParams } from '#src/http/schemas/organization.schema.js';
import {
  CodeBody,
  EnrolmentSchema,
  MemberTwoFactorSchema,
  ProofBody,
  RecoveryCodesSchema,
  RequirementBody,
  RequirementSchema,
  TwoFactorStatusSchema,
} from '#src/http/schemas/two-factor.schema.js';

const tags = ['Two-factor sign-in'];
/** The enrolment endpoints stay open to a session its organization sends to enrolment. */
const ENROLMENT = { duringTwoFactorEnrolment: true } as const;

/** Two-factor sign-in (TOTP): one's own under /api/current-user/two-factor, the organization's requirement, resets. */
export async function twoFactorRoutes(app: FastifyInstance): Promise<void> {
  const { twoFactor, twoFactorAdmin } = app.ctx.services;

  resource(app, '/api/current-user/two-factor', {
    GET: op({
      access: { permission: 'account.view', ...ENROLMENT },
      schema: { tags, summary: 'Whether two-factor sign-in is on for you, and whether your organization requires it', response: { 200: TwoFactorStatusSchema, ...errorResponses(401, 403) } },
      handler: async (_request, _reply, ctx) => presentTwoFactorStatus(await twoFactor.status(ctx.actor.user)),
    }),
  });

  resource(app, '/api/current-user/two-factor/enrolment', {
    POST: op({
      access: { permission: 'account.change', ...ENROLMENT },
      noStore: true,
      schema: {
        tags,
        summary: 'Start setting up an authenticator app (web session only): a new secret and its QR code; confirm with a code',
        response: { 201: EnrolmentSchema, ...errorResponses(401, 403, 409) },
      },
      handler: async (_request, reply, ctx) => {
        const enrolment = await presentEnrolment(await twoFactor.startEnrolment(ctx));
        reply.status(201);
        return enrolment;
      },
    }),
  });

  resource(app, '/api/current-user/two-factor/enrolment/confirm', {
    POST: op({
      access: { permission: 'account.change', ...ENROLMENT },
      noStore: true,
      schema: {
        tags,
        summary: 'Turn two-factor sign-in on with a code from the app (web session only); answers the recovery codes, shown once',
        body: CodeBody,
        response: { 201: RecoveryCodesSchema, ...errorResponses(400, 401, 403, 409) },
      },
      handler: async (request, reply, ctx) => {
        const codes = await twoFactor.confirmEnrolment(ctx, request.body.code);
        reply.status(201);
        return { recovery_codes: codes };
      },
    }),
  });

  resource(app, '/api/current-user/two-factor/recovery-codes', {
    POST: op({
      access: { permission: 'account.change' },
      noStore: true,
      schema: {
        tags,
        summary: 'Replace your recovery codes (web session only; your password or a code): the old ones stop working',
        body: ProofBody,
        response: { 201: RecoveryCodesSchema, ...errorResponses(400, 401, 403, 409) },
      },
      handler: async (request, reply, ctx) => {
        const codes = await twoFactor.regenerateRecoveryCodes(ctx, request.body);
        reply.status(201);
        return { recovery_codes: codes };
      },
    }),
  });

  resource(app, '/api/current-user/two-factor/disable', {
    POST: op({
      access: { permission: 'account.change' },
      schema: {
        tags,
        summary: 'Turn two-factor sign-in off (web session only; your password or a code)',
        body: ProofBody,
        response: { 204: { type: 'null', description: 'Turned off' }, ...errorResponses(400, 401, 403, 409) },
      },
      handler: async (request, reply, ctx) => {
        await twoFactor.disable(ctx, request.body);
        return reply.status(204).send();
      },
    }),
  });

  resource(app, '/api/organizations/:id/two-factor', {
    GET: op({
      access: { permission: 'organizations.view', organization: { param: 'id', outsiders: 'not_found' } },
      schema: {
        tags,
        summary: 'Whether the organization requires two-factor sign-in of its members',
        params: OrganizationParams,
        response: { 200: RequirementSchema, ...errorResponses(401, 403, 404) },
      },
      handler: async (_request, _reply, ctx) => presentRequirement(await twoFactorAdmin.requirement(ctx)),
    }),
    PATCH: op({
      access: { permission: 'organizations.two_factor', organization: { param: 'id', outsiders: 'forbidden' } },
      schema: {
        tags,
        summary: 'Require two-factor sign-in of every member (you must use it yourself), or stop requiring it',
        params: OrganizationParams,
        body: RequirementBody,
        response: { 200: RequirementSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
      handler: async (request, _reply, ctx) => presentRequirement(await twoFactorAdmin.setRequirement(ctx, request.body.require_two_factor)),
    }),
  });

  const member = { param: 'id', outsiders: 'forbidden' } as const;
  resource(app, '/api/organizations/:id/memberships/:user_id/two-factor', {
    GET: op({
      access: { permission: 'members.two_factor', organization: member },
      schema: {
        tags,
        summary: 'Whether a member uses two-factor sign-in',
        params: MemberParams,
        response: { 200: MemberTwoFactorSchema, ...errorResponses(401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => presentMemberTwoFactor(await twoFactorAdmin.memberStatus(ctx, request.params.user_id)),
    }),
    DELETE: op({
      access: { permission: 'members.two_factor', organization: member },
      schema: {
        tags,
        summary: "Reset a member's second factor (never the owner's, never a higher role's): they log in with the password and enrol again",
        params: MemberParams,
        response: { 204: { type: 'null', description: 'Reset' }, ...errorResponses(401, 403, 404, 409) },
      },
      handler: async (request, reply, ctx) => {
        await twoFactorAdmin.resetMember(ctx, request.params.user_id);
        return reply.status(204).send();
      },
    }),
  });
}
