import { http, withQuery } from './client';
import type {
  ActivityExportFormat,
  ActivityLogPage,
  ActivityLogQuery,
  AvatarSaved,
  ChangedMember,
  CreatedOrganization,
  CreatedToken,
  CurrentUser,
  CurrentUserChanges,
  DefaultRoleChange,
  DefaultRoleSaved,
  Invite,
  InvitationPage,
  InviteByEmail,
  InviteResult,
  JsonOf,
  LegacyToken,
  ListedToken,
  MembershipDetail,
  MembershipPage,
  NewOrganization,
  Organization,
  OrganizationSummary,
  OwnershipTransfer,
  PermissionGrant,
  PermissionOption,
  PermissionOverride,
  PermissionRolesChange,
  MemberTwoFactor,
  Project,
  ProjectPage,
  RecoveryCodes,
  RevokeToken,
  RoleChange,
  RoleCode,
  SendInvites,
  TokenSettings,
  TokenSettingsChanges,
  TwoFactorCode,
  TwoFactorEnrolment,
  TwoFactorProof,
  TwoFactorRequirement,
  TwoFactorRequirementChange,
  TwoFactorStatus,
  User,
  UserChanges,
  WhoAmI,
} from './types';

/**
 * Sort keys of the People table and the `ordering` values the memberships endpoint takes for them, each way;
 * null where the server has no such order (then that column sorts one way only).
 */
export const MEMBER_ORDERING = {
  email: { ascending: 'email', descending: '-email' },
  name: { ascending: 'first_name', descending: '-first_name' },
  last_activity: { ascending: 'last_activity', descending: '-last_activity' },
} as const satisfies Record<string, { ascending: string; descending: string }>;
export type MemberSortKey = keyof typeof MEMBER_ORDERING;

export function memberOrdering(key: MemberSortKey, descending: boolean): string {
  const orders = MEMBER_ORDERING[key];
  return descending ? orders.descending : orders.ascending;
}

export interface MemberQuery {
  page: number;
  pageSize: number;
  search?: string;
  sort?: MemberSortKey;
  descending?: boolean;
  /** Only members with one of these roles. */
  roles?: readonly RoleCode[];
}

/** The activity log's filters as the list and the export both take them. */
export type ActivityFilters = Pick<ActivityLogQuery, 'user' | 'action' | 'method' | 'start_date' | 'end_date' | 'search'>;

/** Typed calls, one per endpoint the pages use (spec §7.1). */
export const api = {
  whoami: () => http.get<WhoAmI>('/current-user/whoami'),
  organization: (id: number) => http.get<Organization>(`/organizations/${id}`),

  memberships: (orgId: number, q: MemberQuery, signal?: AbortSignal) =>
    http.get<MembershipPage>(
      `/organizations/${orgId}/memberships`,
      {
        contributed_to_projects: 1,
        page: q.page,
        page_size: q.pageSize,
        search: q.search,
        ordering: q.sort ? memberOrdering(q.sort, q.descending === true) : undefined,
        role: q.roles?.join(','),
        // Removed members stay in the organization's records as "Deleted User"; the People page lists live ones.
        is_deleted: false,
      },
      signal,
    ),
  /** A few live members matching `search`, for pickers (no contributions: cheaper). */
  memberSearch: (orgId: number, search: string, signal?: AbortSignal) =>
    http.get<MembershipPage>(`/organizations/${orgId}/memberships`, { search, page: 1, page_size: 8, is_deleted: false, ordering: 'email' }, signal),
  changeRole: (orgId: number, userId: number, role: RoleCode) =>
    http.patch<ChangedMember>(`/organizations/${orgId}/memberships`, { user_id: userId, role } satisfies RoleChange),
  removeMember: (orgId: number, userId: number) => http.delete(`/organizations/${orgId}/memberships/${userId}/`),
  deleteUser: (userId: number) => http.delete(`/users/${userId}/`),

  organizations: () => http.get<OrganizationSummary[]>('/organizations/'),
  createOrganization: (title: string) => http.post<CreatedOrganization>('/organizations/', { title } satisfies NewOrganization),
  switchOrganization: (id: number) =>
    http.patch<CurrentUser>('/current-user', { active_organization: id } satisfies CurrentUserChanges),
  leaveOrganization: (id: number) => http.post<void>(`/organizations/${id}/leave`),
  transferOwnership: (orgId: number, userId: number) =>
    http.post<ChangedMember>(`/organizations/${orgId}/transfer-ownership`, { user_id: userId } satisfies OwnershipTransfer),
  setDefaultRole: (orgId: number, role: RoleCode) =>
    http.patch<DefaultRoleSaved>(`/organizations/${orgId}/set-default-role`, { default_role: role } satisfies DefaultRoleChange),

  permissionOptions: (orgId: number) => http.get<PermissionOption[]>(`/organizations/${orgId}/permissions/options`),
  permissionOverrides: (orgId: number) => http.get<PermissionOverride[]>(`/organizations/${orgId}/permissions`),
  /** Customizes a permission still at its default (POST); `updatePermission` changes one already customized. */
  customizePermission: (orgId: number, permission: string, roles: RoleCode[]) =>
    http.post<PermissionOverride>(`/organizations/${orgId}/permissions`, { permission, roles } satisfies PermissionGrant),
  updatePermission: (orgId: number, permission: string, roles: RoleCode[]) =>
    http.patch<PermissionOverride>(`/organizations/${orgId}/permissions/${encodeURIComponent(permission)}`, { roles } satisfies PermissionRolesChange),
  resetPermission: (orgId: number, permission: string) =>
    http.delete(`/organizations/${orgId}/permissions/${encodeURIComponent(permission)}`),
  resetPermissions: (orgId: number) => http.post<void>(`/organizations/${orgId}/permissions/reset`),

  /** One page of the activity log, newest first; past the end the server answers 404 "No more logs found". */
  activityLog: async (filters: ActivityFilters, page: number, pageSize: number, signal?: AbortSignal): Promise<ActivityLogPage> => {
    const [first] = await http.get<ActivityLogPage[]>('/activity-logs/', { ...filters, page, page_size: pageSize }, signal);
    return first ?? { data: [], recordsTotal: 0, recordsFiltered: 0 };
  },
  /** Where the browser downloads every entry matching the filters (the server streams it). */
  activityExportUrl: (filters: ActivityFilters, format: ActivityExportFormat) =>
    withQuery('/api/activity-logs/export', { ...filters, format }),
  membership: (orgId: number, userId: number) =>
    http.get<MembershipDetail>(`/organizations/${orgId}/memberships/${userId}/`, { contributed_to_projects: 1 }),
  user: (id: number) => http.get<User>(`/users/${id}/`),

  invite: () => http.get<Invite>('/invite'),
  resetInvite: () => http.post<JsonOf<'/api/invite/reset-token', 'post'>>('/invite/reset-token'),
  /** Open e-mail invitations (pending and expired), most recently sent first. */
  openInvitations: (signal?: AbortSignal) => http.get<InvitationPage>('/invite/invitations', { status: 'pending,expired', page: 1, page_size: 100 }, signal),
  sendInvites: (emails: string[], role: RoleCode) => http.post<InviteResult>('/invite/send-email', { emails, role } satisfies SendInvites),
  resendInvitation: (email: string) => http.post<InviteResult>('/invite/resend', { email } satisfies InviteByEmail),
  revokeInvitation: (email: string) => http.post<InviteResult>('/invite/revoke', { email } satisfies InviteByEmail),

  updateUser: (id: number, fields: UserChanges) =>
    http.patch<User>(`/users/${id}/`, fields),
  uploadAvatar: (id: number, file: File) => {
    const form = new FormData();
    form.append('avatar', file);
    return http.upload<AvatarSaved>(`/users/${id}/avatar/`, form);
  },
  deleteAvatar: (id: number) => http.delete(`/users/${id}/avatar/`),

  tokenSettings: () => http.get<TokenSettings>('/jwt/settings'),
  updateTokenSettings: (settings: TokenSettingsChanges) => http.post<TokenSettings>('/jwt/settings', settings),
  personalTokens: () => http.get<ListedToken[]>('/token/'),
  createPersonalToken: () => http.post<CreatedToken>('/token/'),
  revokePersonalToken: (token: string) => http.post<void>('/token/blacklist/', { refresh: token } satisfies RevokeToken),
  legacyToken: () => http.get<LegacyToken>('/current-user/token'),
  resetLegacyToken: () => http.post<JsonOf<'/api/current-user/reset-token/', 'post'>>('/current-user/reset-token/'),

  twoFactor: () => http.get<TwoFactorStatus>('/current-user/two-factor'),
  startTwoFactor: () => http.post<TwoFactorEnrolment>('/current-user/two-factor/enrolment'),
  confirmTwoFactor: (code: string) =>
    http.post<RecoveryCodes>('/current-user/two-factor/enrolment/confirm', { code } satisfies TwoFactorCode),
  newRecoveryCodes: (proof: TwoFactorProof) => http.post<RecoveryCodes>('/current-user/two-factor/recovery-codes', proof),
  disableTwoFactor: (proof: TwoFactorProof) => http.post<void>('/current-user/two-factor/disable', proof),
  twoFactorRequirement: (orgId: number) => http.get<TwoFactorRequirement>(`/organizations/${orgId}/two-factor`),
  setTwoFactorRequirement: (orgId: number, required: boolean) =>
    http.patch<TwoFactorRequirement>(`/organizations/${orgId}/two-factor`, { require_two_factor: required } satisfies TwoFactorRequirementChange),
  memberTwoFactor: (orgId: number, userId: number) => http.get<MemberTwoFactor>(`/organizations/${orgId}/memberships/${userId}/two-factor`),
  resetMemberTwoFactor: (orgId: number, userId: number) => http.delete(`/organizations/${orgId}/memberships/${userId}/two-factor`),

  projects: (page: number, pageSize: number, signal?: AbortSignal) =>
    http.get<ProjectPage>('/projects/', { page, page_size: pageSize }, signal),
  project: (id: number) => http.get<Project>(`/projects/${id}/`),
};
