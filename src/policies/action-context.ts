import { randomUUID } from 'node:crypto';
import type { MembershipRow, RoleCode, UserRow } from '#src/storage/schema.js';

/** How the caller proved who they are. */
export type AuthMethod = 'session' | 'proxy' | 'legacy-token' | 'jwt' | 'cli' | 'anonymous' | 'system';

/** A user acting inside one organization, with the role of their live membership there. */
export interface Actor {
  user: UserRow;
  organizationId: number;
  role: RoleCode;
  membership: MembershipRow;
}

/**
 * Who does something, from where: built once per request by the auth layer (once per command by the CLI) and
 * handed to every state-changing service method, whose transaction carries it (the audit trail's source).
 */
export interface ActionContext {
  /** The authenticated user, when there is one. */
  readonly principal: UserRow | undefined;
  /** The principal as a member of the organization the action is about, once authorization resolved it. */
  readonly actor: Actor | undefined;
  readonly via: AuthMethod;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly requestId: string;
  /** What was asked: the HTTP method and URL, or `CLI` and the command (the activity log's request columns). */
  readonly method: string;
  readonly url: string;
  /** The status a success answers (201 for a creation…), recorded with the action. */
  readonly successStatus: number;
}

/** An action by a member of an organization: what organization-scoped use cases take. */
export interface MemberContext extends ActionContext {
  readonly principal: UserRow;
  readonly actor: Actor;
}

/** The same context acting as `actor` (authorization's result). */
export function asMember(context: ActionContext, actor: Actor): MemberContext {
  return { ...context, principal: actor.user, actor };
}

/** The context of a command run by the operator from a shell: trusted, no organization, no network origin. */
export function cliContext(command: string): ActionContext {
  const line = `label-studio ${command}`;
  return { principal: undefined, actor: undefined, via: 'cli', ip: null, userAgent: line, requestId: randomUUID(), method: 'CLI', url: line, successStatus: 200 };
}

/** The context of the server's own housekeeping (expiring sessions, recording activity, sealing tokens at start-up). */
export function systemContext(task: string): ActionContext {
  return { principal: undefined, actor: undefined, via: 'system', ip: null, userAgent: task, requestId: randomUUID(), method: 'SYSTEM', url: task, successStatus: 200 };
}
