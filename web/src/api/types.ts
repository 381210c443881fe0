/** JSON shapes of the API (label-studio-spec.md §6), as the pages use them. */

export type RoleCode = 'OW' | 'AD' | 'MA' | 'RE' | 'AN' | 'NO' | 'DI';

export interface User {
  id: number;
  first_name: string;
  last_name: string;
  username: string;
  email: string;
  last_activity: string | null;
  avatar: string | null;
  initials: string;
  phone: string;
  active_organization: number | null;
  active_organization_meta: { title: string; email: string };
  allow_newsletters: boolean | null;
  date_joined: string | null;
}

export interface WhoAmI extends User {
  permissions: string[];
}

export interface ProjectRef {
  id: number;
  title: string;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface MembershipListItem {
  id: number;
  organization: number;
  user: User;
  created_projects: ProjectRef[] | null;
  contributed_to_projects: ProjectRef[] | null;
  role?: RoleCode;
}

export interface MembershipDetail {
  user: number;
  organization: number;
  contributed_projects_count: number;
  annotations_count: number;
  created_at: string;
  created_projects: ProjectRef[] | null;
  contributed_to_projects: ProjectRef[] | null;
  role?: RoleCode;
}

export interface Organization {
  id: number;
  title: string;
  created_by: number | null;
  created_at: string;
}

export interface Invite {
  invite_url: string;
  token: string;
}

export interface TokenSettings {
  api_tokens_enabled: boolean;
  legacy_api_tokens_enabled: boolean;
  /** Label Studio Enterprise's field; sent back unchanged when present. */
  api_token_ttl_days?: number;
}

/** A personal access token as listed: `header.payload`, without its signature. */
export interface ListedToken {
  token: string;
  created_at?: string;
  expires_at?: string;
}

export interface Project {
  id: number;
  title: string;
  description?: string;
  created_by?: { id: number; first_name: string; last_name: string; email: string } | null;
  created_at?: string;
  task_number?: number;
  total_annotations_number?: number;
}
