/**
 * JSON shapes of the API as the pages use them, each derived from the server's OpenAPI document (openapi.gen.ts,
 * written by `npm run api:types`), so a schema change on the server shows up here as a type error.
 */
import type { paths } from './openapi.gen';

type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';
type ApiPath = keyof paths;

/** The methods a path declares (the generator types the others as optional `never`). */
type MethodOf<P extends ApiPath> = {
  [M in HttpMethod]: paths[P][M] extends { responses: object } ? M : never;
}[HttpMethod];

type Operation<P extends ApiPath, M extends MethodOf<P>> = Extract<paths[P][M], { responses: object }>;
type Responses<P extends ApiPath, M extends MethodOf<P>> = Operation<P, M>['responses'];
type Json<Content> = Content extends { content: { 'application/json': infer Body } } ? Body : never;

/** Statuses of an operation that come with a JSON body (204s and the like are left out). */
type JsonStatusOf<P extends ApiPath, M extends MethodOf<P>> = {
  [S in keyof Responses<P, M>]: Responses<P, M>[S] extends { content: { 'application/json': unknown } } ? S : never;
}[keyof Responses<P, M>];

type SuccessStatus = 200 | 201;

/** Methods of a path whose success answer is JSON (a 204-only DELETE is not one). */
type JsonMethodOf<P extends ApiPath> = {
  [M in MethodOf<P>]: [Extract<JsonStatusOf<P, M>, SuccessStatus>] extends [never] ? never : M;
}[MethodOf<P>];

/**
 * The JSON body `M P` answers with status `S` (by default its 200 or 201). A path, method or status the server
 * does not declare, or a success without a JSON body, is a compile error here rather than a silent `never`.
 */
export type JsonOf<
  P extends ApiPath,
  M extends JsonMethodOf<P>,
  S extends JsonStatusOf<P, M> = Extract<JsonStatusOf<P, M>, SuccessStatus>,
> = Json<Responses<P, M>[S]>;

/** Methods of a path that take a JSON request body (the generator types a missing one as optional `never`). */
type JsonBodyMethodOf<P extends ApiPath> = {
  [M in MethodOf<P>]: Operation<P, M> extends { requestBody?: never }
    ? never
    : Operation<P, M> extends { requestBody?: { content: { 'application/json': unknown } } }
      ? M
      : never;
}[MethodOf<P>];

/** The JSON request body `M P` takes. */
export type JsonBodyOf<P extends ApiPath, M extends JsonBodyMethodOf<P>> = Json<NonNullable<Operation<P, M>['requestBody']>>;

/** The query parameters `M P` declares (all optional on the wire). */
export type QueryOf<P extends ApiPath, M extends MethodOf<P>> = NonNullable<Operation<P, M>['parameters']['query']>;

/**
 * Label Studio's role codes. The server declares `role` as a plain string, so the pages narrow it
 * (lib/roles.ts) instead of trusting it to be one of these.
 */
export type RoleCode = 'OW' | 'AD' | 'MA' | 'RE' | 'AN' | 'NO' | 'DI';

export type User = JsonOf<'/api/users/{id}/', 'get'>;
export type WhoAmI = JsonOf<'/api/current-user/whoami', 'get'>;
export type UserChanges = JsonBodyOf<'/api/users/{id}/', 'patch'>;
export type AvatarSaved = JsonOf<'/api/users/{id}/avatar/', 'post'>;

export type MembershipPage = JsonOf<'/api/organizations/{id}/memberships', 'get'>;
export type MembershipListItem = MembershipPage['results'][number];
/** The member after a role change: the list's shape, with what the viewer may now do to them. */
export type ChangedMember = JsonOf<'/api/organizations/{id}/memberships', 'patch'>;
export type RoleChange = JsonBodyOf<'/api/organizations/{id}/memberships', 'patch'>;
/** One of the member actions the server offers in `allowed_actions`. */
export type MemberAction = 'change_user' | 'change_role' | 'restore_role' | 'remove' | 'delete' | 'reset_two_factor';
export type MembershipDetail = JsonOf<'/api/organizations/{id}/memberships/{user_id}', 'get'>;
export type ProjectRef = NonNullable<MembershipDetail['created_projects']>[number];

export type Organization = JsonOf<'/api/organizations/{id}', 'get'>;
/** An organization the caller belongs to, as GET /api/organizations/ lists it. */
export type OrganizationSummary = JsonOf<'/api/organizations/', 'get'>[number];
export type NewOrganization = JsonBodyOf<'/api/organizations/', 'post'>;
export type CreatedOrganization = JsonOf<'/api/organizations/', 'post'>;
export type CurrentUserChanges = JsonBodyOf<'/api/current-user', 'patch'>;
export type CurrentUser = JsonOf<'/api/current-user', 'patch'>;
export type DefaultRoleChange = JsonBodyOf<'/api/organizations/{id}/set-default-role', 'patch'>;
export type DefaultRoleSaved = JsonOf<'/api/organizations/{id}/set-default-role', 'patch'>;
export type OwnershipTransfer = JsonBodyOf<'/api/organizations/{id}/transfer-ownership', 'post'>;

/** A configurable permission from the catalogue: its default roles and the roles it may be given. */
export type PermissionOption = JsonOf<'/api/organizations/{id}/permissions/options', 'get'>[number];
/** An organization's customization of one permission. */
export type PermissionOverride = JsonOf<'/api/organizations/{id}/permissions', 'get'>[number];
export type PermissionGrant = JsonBodyOf<'/api/organizations/{id}/permissions', 'post'>;
export type PermissionRolesChange = JsonBodyOf<'/api/organizations/{id}/permissions/{key}', 'patch'>;

/** One page of the activity log: Enterprise's array holding one DataTables envelope, unwrapped. */
export type ActivityLogPage = JsonOf<'/api/activity-logs/', 'get'>[number];
export type ActivityEntry = ActivityLogPage['data'][number];
export type ActivityLogQuery = QueryOf<'/api/activity-logs/', 'get'>;
export type ActivityExportFormat = NonNullable<QueryOf<'/api/activity-logs/export', 'get'>['format']>;
export type Invite = JsonOf<'/api/invite', 'get'>;
/** E-mail invitations of the active organization, with whether this server can send mail and the roles the caller may invite as. */
export type InvitationPage = JsonOf<'/api/invite/invitations', 'get'>;
export type Invitation = InvitationPage['results'][number];
export type SendInvites = JsonBodyOf<'/api/invite/send-email', 'post'>;
export type InviteByEmail = JsonBodyOf<'/api/invite/revoke', 'post'>;
export type InviteResult = JsonOf<'/api/invite/send-email', 'post'>;

export type TokenSettings = JsonOf<'/api/jwt/settings', 'get'>;
export type TokenSettingsChanges = JsonBodyOf<'/api/jwt/settings', 'post'>;
/** A personal access token as listed: `header.payload`, without its signature. */
export type ListedToken = JsonOf<'/api/token/', 'get'>[number];
/** A personal access token just created: the only time its full value is shown. */
export type CreatedToken = JsonOf<'/api/token/', 'post'>;
export type RevokeToken = JsonBodyOf<'/api/token/blacklist/', 'post'>;
export type LegacyToken = JsonOf<'/api/current-user/token', 'get'>;

/** Two-factor sign-in: your own, the organization's requirement, a member's. */
export type TwoFactorStatus = JsonOf<'/api/current-user/two-factor', 'get'>;
export type TwoFactorEnrolment = JsonOf<'/api/current-user/two-factor/enrolment', 'post'>;
export type TwoFactorCode = JsonBodyOf<'/api/current-user/two-factor/enrolment/confirm', 'post'>;
export type RecoveryCodes = JsonOf<'/api/current-user/two-factor/enrolment/confirm', 'post'>;
/** The password, or a code from the app (or a recovery code): what turning it off and new recovery codes take. */
export type TwoFactorProof = JsonBodyOf<'/api/current-user/two-factor/disable', 'post'>;
export type TwoFactorRequirement = JsonOf<'/api/organizations/{id}/two-factor', 'get'>;
export type TwoFactorRequirementChange = JsonBodyOf<'/api/organizations/{id}/two-factor', 'patch'>;
export type MemberTwoFactor = JsonOf<'/api/organizations/{id}/memberships/{user_id}/two-factor', 'get'>;

export type ProjectPage = JsonOf<'/api/projects/', 'get'>;
export type Project = JsonOf<'/api/projects/{id}', 'get'>;
