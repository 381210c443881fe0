import type { Permission } from '#src/policies/permissions.js';

/** The organization a route acts in: the caller's active one, or the one named by a path parameter. */
export type OrganizationScope =
  | 'active'
  | {
      param: string;
      /** What a caller who is not a live member of that organization gets: 403, or 404 to reveal nothing. */
      outsiders: 'forbidden' | 'not_found';
    };

/** A route for members of an organization holding a permission. */
export interface MemberAccess {
  permission: Permission;
  /** Default: the active organization. */
  organization?: OrganizationScope;
  /** Label Studio's own wording for the refusal, where it has one. */
  denied?: string;
  /**
   * Still open to a web session that must first enrol in two-factor sign-in (its organization requires it): the
   * enrolment endpoints. Every other member route refuses such a session until it has.
   */
  duringTwoFactorEnrolment?: true;
}

/**
 * What every route declares about who may call it. `public`: credentials are not even read (health, token refresh,
 * avatar files); `optional`: read when sent (web pages and forms, which answer anonymous visitors themselves);
 * otherwise a member permission, checked by one hook before the handler runs.
 */
export type RouteAccess = 'public' | 'optional' | MemberAccess;

export const isMemberAccess = (access: RouteAccess): access is MemberAccess => typeof access === 'object';
