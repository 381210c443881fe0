import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '#src/http/plugins/auth.plugin.js';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import { op, resource } from '#src/http/route.js';
import { errorResponses, IdParams } from '#src/http/schemas/common.schema.js';
import {
  LockoutSchema,
  PasswordChangeBody,
  PasswordChangedSchema,
  RevokedSessionsSchema,
  SessionListSchema,
  SessionPolicyBody,
  SessionPolicySchema,
  SessionRevokeBody,
} from '#src/http/schemas/session.schema.js';
import type { LockoutStatus } from '#src/services/login-throttle.service.js';
import type { SessionPolicy } from '#src/services/session-policy.service.js';

const tags = ['Sessions and sign-in'];

/** The session cookie of the request, when the session is what authenticated it. */
const ownCookie = (request: FastifyRequest): string | undefined =>
  request.action.via === 'session' ? request.cookies[SESSION_COOKIE] : undefined;

const presentPolicy = (policy: SessionPolicy) => ({
  max_session_age: policy.maxSessionAge,
  max_time_between_activity: policy.maxTimeBetweenActivity,
  created_at: presentDateTime(policy.createdAt),
  updated_at: presentDateTime(policy.updatedAt),
});

const presentLockout = (status: LockoutStatus) => ({
  locked: status.locked,
  locked_until: status.lockedUntil ? presentDateTime(status.lockedUntil.toISOString()) : null,
  failed_logins: status.failures,
});

/**
 * Your sessions and password, the organization's session policy (Enterprise's `session_policy`), and members'
 * login lockouts.
 */
export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { sessions, sessionPolicies, passwordChange, loginThrottle } = app.ctx.services;

  resource(app, '/api/current-user/sessions/', {
    GET: op({
      access: { permission: 'account.view' },
      schema: { tags, summary: 'Your live web sessions, most recently used first', response: { 200: SessionListSchema, ...errorResponses(401, 403) } },
      handler: async (request, _reply, ctx) =>
        (await sessions.list(ctx, ownCookie(request))).map((s) => ({
          id: s.id,
          device: s.device,
          user_agent: s.userAgent,
          ip: s.ip,
          created_at: presentDateTime(s.createdAt),
          last_seen_at: presentDateTime(s.lastSeenAt),
          expires_at: presentDateTime(s.expiresAt),
          current: s.current,
        })),
    }),
  });

  resource(app, '/api/current-user/sessions/revoke-others/', {
    POST: op({
      access: { permission: 'account.change' },
      schema: {
        tags,
        summary: 'End every web session of yours except the one making this request (all of them, called with a token)',
        response: { 200: RevokedSessionsSchema, ...errorResponses(401, 403) },
      },
      handler: async (request, _reply, ctx) => ({ revoked: await sessions.revokeOthers(ctx, ownCookie(request)) }),
    }),
  });

  resource(app, '/api/current-user/sessions/revoke/', {
    POST: op({
      access: { permission: 'account.change' },
      schema: {
        tags,
        summary: 'End one of your web sessions, named by its id: it is refused from its next request (an id that is not one of yours ends nothing)',
        body: SessionRevokeBody,
        response: { 200: RevokedSessionsSchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, _reply, ctx) => ({ revoked: await sessions.revoke(ctx, request.body.id) }),
    }),
  });

  resource(app, '/api/current-user/password/', {
    POST: op({
      access: { permission: 'account.change' },
      schema: {
        tags,
        summary: 'Change your password (from a web session): your other sessions end; wrong current passwords count towards the login lockout',
        body: PasswordChangeBody,
        response: { 200: PasswordChangedSchema, ...errorResponses(400, 401, 403, 429) },
      },
      handler: async (request, _reply, ctx) => {
        const ended = await passwordChange.change(ctx, { currentPassword: request.body.current_password, newPassword: request.body.new_password }, ownCookie(request));
        return { detail: 'Your password was changed.', signed_out_elsewhere: ended };
      },
    }),
  });

  resource(app, '/api/session-policy/', {
    GET: op({
      access: { permission: 'organizations.view' },
      schema: {
        tags,
        summary: "Your active organization's session timeouts, in minutes (Enterprise's session policy)",
        response: { 200: SessionPolicySchema, ...errorResponses(401, 403) },
      },
      handler: async (_request, _reply, ctx) => presentPolicy(await sessionPolicies.get(ctx)),
    }),
    PATCH: op({
      access: { permission: 'session_policy.change' },
      schema: {
        tags,
        summary: 'Change the session timeouts of your active organization (owner, administrator); they hold from every session’s next request',
        body: SessionPolicyBody,
        response: { 200: SessionPolicySchema, ...errorResponses(400, 401, 403) },
      },
      handler: async (request, _reply, ctx) =>
        presentPolicy(
          await sessionPolicies.update(ctx, {
            maxSessionAge: request.body.max_session_age,
            maxTimeBetweenActivity: request.body.max_time_between_activity,
          }),
        ),
    }),
  });

  resource(app, '/api/users/:id/lockout/', {
    GET: op({
      access: { permission: 'users.unlock' },
      schema: {
        tags,
        summary: "A member's login lockout (owner, administrator)",
        params: IdParams,
        response: { 200: LockoutSchema, ...errorResponses(401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => presentLockout(await loginThrottle.memberStatus(ctx, request.params.id)),
    }),
  });

  resource(app, '/api/users/:id/unlock/', {
    POST: op({
      access: { permission: 'users.unlock' },
      schema: {
        tags,
        summary: "Lift a member's login lockout and forget their failed logins (owner, administrator)",
        params: IdParams,
        response: { 200: LockoutSchema, ...errorResponses(401, 403, 404) },
      },
      handler: async (request, _reply, ctx) => presentLockout(await loginThrottle.unlockMember(ctx, request.params.id)),
    }),
  });
}
