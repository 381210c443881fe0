import { http } from './client';
import type {
  AvatarSaved,
  CreatedToken,
  Invite,
  JsonOf,
  LegacyToken,
  ListedToken,
  MembershipDetail,
  MembershipPage,
  Organization,
  Project,
  ProjectPage,
  RevokeToken,
  TokenSettings,
  TokenSettingsChanges,
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
}

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
      },
      signal,
    ),
  membership: (orgId: number, userId: number) =>
    http.get<MembershipDetail>(`/organizations/${orgId}/memberships/${userId}/`, { contributed_to_projects: 1 }),
  user: (id: number) => http.get<User>(`/users/${id}/`),

  invite: () => http.get<Invite>('/invite'),
  resetInvite: () => http.post<JsonOf<'/api/invite/reset-token', 'post'>>('/invite/reset-token'),

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

  projects: (page: number, pageSize: number, signal?: AbortSignal) =>
    http.get<ProjectPage>('/projects/', { page, page_size: pageSize }, signal),
  project: (id: number) => http.get<Project>(`/projects/${id}/`),
};
