import { http } from './client';
import type {
  Invite,
  ListedToken,
  MembershipDetail,
  MembershipListItem,
  Organization,
  Page,
  Project,
  TokenSettings,
  User,
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
    http.get<Page<MembershipListItem>>(
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
  resetInvite: () => http.post<Invite>('/invite/reset-token'),

  updateUser: (id: number, fields: Partial<Pick<User, 'first_name' | 'last_name' | 'phone' | 'allow_newsletters'>>) =>
    http.patch<User>(`/users/${id}/`, fields),
  uploadAvatar: (id: number, file: File) => {
    const form = new FormData();
    form.append('avatar', file);
    return http.upload<{ detail: string }>(`/users/${id}/avatar/`, form);
  },
  deleteAvatar: (id: number) => http.delete(`/users/${id}/avatar/`),

  tokenSettings: () => http.get<TokenSettings>('/jwt/settings'),
  updateTokenSettings: (settings: TokenSettings) => http.post<TokenSettings>('/jwt/settings', settings),
  personalTokens: () => http.get<ListedToken[]>('/token/'),
  createPersonalToken: () => http.post<{ token: string }>('/token/'),
  revokePersonalToken: (token: string) => http.post<void>('/token/blacklist/', { refresh: token }),
  legacyToken: () => http.get<{ token: string }>('/current-user/token'),
  resetLegacyToken: () => http.post<{ token: string }>('/current-user/reset-token/'),

  projects: (page: number, pageSize: number, signal?: AbortSignal) =>
    http.get<Page<Project>>('/projects/', { page, page_size: pageSize }, signal),
  project: (id: number) => http.get<Project>(`/projects/${id}/`),
};
