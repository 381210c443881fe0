/**
 * One small Label Studio installation, as its database and data directory would hold it: users with Django hashes
 * (several iteration counts and salt lengths), legacy tokens (one not 40 hex), two organizations with both invite
 * token formats, a removed member, a deactivated user, a user without a password, PATs (one blacklisted), avatars
 * (one missing, one oversize), projects (one soft-deleted), tasks and annotations (one by a deleted user).
 */
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asJson, at, type LabelStudioDb, type LabelStudioVersion, type Row } from './label-studio-db.js';
import { solidPng } from './png.js';

/** Label Studio's SECRET_KEY for the fixture: 50 characters with the `#`, `$`, `(`, `%` its generator uses. */
export const LS_SECRET_KEY = 'k3#x9$vq(2%f@z8!w&m^7*p-_=+)r0t1y4u5i6o7a8s9d0f1g2';

/** Django's pbkdf2_sha256 hash: base64 of PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes). */
export function djangoHash(password: string, salt: string, iterations: number): string {
  return `pbkdf2_sha256$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')}`;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A PAT as Label Studio issues it: a simplejwt refresh token, HS256 with SECRET_KEY's bytes. */
export function labelStudioPat(secret: string, userId: number, iat: number, jti: string): { token: string; prefix: string } {
  const prefix = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ token_type: 'refresh', exp: iat + 73000 * 86400, iat, jti, user_id: userId })}`;
  return { prefix, token: `${prefix}.${createHmac('sha256', Buffer.from(secret, 'utf8')).update(prefix).digest('base64url')}` };
}

export interface FixtureUser {
  id: number;
  /** As it will be here: lower-cased. */
  email: string;
  /** The password that logs in, or null for a user without one. */
  password: string | null;
  key: string;
  active: boolean;
}

export interface Fixture {
  users: FixtureUser[];
  /** Removed from organization 1 (soft-deleted membership). */
  removedUserId: number;
  invites: Record<number, string>;
  pats: { live: Array<{ userId: number; token: string }>; blacklisted: Array<{ userId: number; token: string }> };
  /** What Label Studio's member statistics say, soft-deleted projects left out. */
  contributions: Array<{ organization: number; user: number; annotations: number; projects: number }>;
  avatars: { copied: number[]; missing: number[]; rejected: number[] };
  counts: { projects: number; tasks: number; annotations: number };
}

const iso = (day: number, extra = '000000'): string => `2024-0${1 + (day % 9)}-1${day % 10}T10:11:12.${extra.slice(0, 3)}Z`;

/** Fills `db` (created for `version`) and `mediaDir`; returns what the import must make of it. */
export async function fillFixture(db: LabelStudioDb, version: LabelStudioVersion, mediaDir: string): Promise<Fixture> {
  const current = version === 'current';
  const spec: Array<{ id: number; email: string; password: string | null; salt: string; iterations: number; key: string; active?: boolean; avatar?: string; superuser?: boolean }> = [
    { id: 1, email: 'Owner@Company.test', password: 'Owner pass 1!', salt: 'Qx4bN7kP2mR9tV3wY6zA1c', iterations: 20000, key: 'a'.repeat(8) + '0123456789abcdef0123456789abcdef', avatar: 'avatars/1c9e4b7a-portrait.png', superuser: true },
    { id: 2, email: 'ann@company.test', password: 'annotator-pw', salt: 'oldsalt12chr', iterations: 21600, key: 'b'.repeat(8) + '0123456789abcdef0123456789abcdef', avatar: 'avatars/0a0b0c0d-ünï_cödé.png' },
    { id: 3, email: 'removed@company.test', password: 'removed-pw 3', salt: 'Zr8Lm2Qp5Tx7Vb1Nc4Hd6J', iterations: 1000, key: 'c'.repeat(8) + '0123456789abcdef0123456789abcdef' },
    { id: 4, email: 'nopass@company.test', password: null, salt: '', iterations: 0, key: 'tok-1234567' },
    { id: 5, email: 'second@company.test', password: 'second-pw 5', salt: 'Aa1Bb2Cc3Dd4Ee5Ff6Gg7H', iterations: 1000, key: 'e'.repeat(8) + '0123456789abcdef0123456789abcdef', avatar: 'avatars/deadbeef-gone.png' },
    { id: 6, email: 'inactive@company.test', password: 'inactive-pw', salt: 'Hh8Ii9Jj0Kk1Ll2Mm3Nn4O', iterations: 1000, key: 'f'.repeat(8) + '0123456789abcdef0123456789abcdef', active: false },
    { id: 7, email: 'big@company.test', password: 'big-avatar-pw', salt: 'Pp5Qq6Rr7Ss8Tt9Uu0Vv1W', iterations: 1000, key: '9'.repeat(8) + '0123456789abcdef0123456789abcdef', avatar: 'avatars/0badf00d-huge.png' },
  ];
  mkdirSync(join(mediaDir, 'avatars'), { recursive: true });
  writeFileSync(join(mediaDir, 'avatars/1c9e4b7a-portrait.png'), solidPng(64, 64));
  writeFileSync(join(mediaDir, 'avatars/0a0b0c0d-ünï_cödé.png'), solidPng(32, 48, [10, 200, 30]));
  writeFileSync(join(mediaDir, 'avatars/0badf00d-huge.png'), solidPng(1300, 10));
  const users: Row[] = spec.map((u) => ({
    id: u.id,
    password: u.password === null ? `!${'X7'.repeat(20)}` : djangoHash(u.password, u.salt, u.iterations),
    last_login: u.id === 1 ? at('2024-11-03T14:22:10.118Z') : null,
    is_superuser: u.superuser === true,
    username: u.id === 4 ? '' : u.email.split('@')[0] ?? '',
    email: u.email,
    first_name: u.id === 1 ? 'Olga' : '',
    last_name: u.id === 1 ? 'Owner' : '',
    is_staff: u.superuser === true,
    is_active: u.active !== false,
    date_joined: at(iso(u.id)),
    last_activity: at(u.id === 1 ? '2024-11-03T14:40:55.902Z' : iso(u.id)),
    activity_at: at(iso(u.id)),
    phone: u.id === 1 ? '+1 555 0100' : '',
    avatar: u.avatar ?? '',
    active_organization_id: u.id === 5 ? 2 : 1,
    allow_newsletters: u.id === 1 ? true : null,
    ...(current ? { custom_hotkeys: u.id === 1 ? asJson({ 'annotation:submit': { key: 'ctrl+enter', active: true } }) : u.id === 2 ? null : asJson({}), role: 'XX', future_flag: 7 } : {}),
  }));
  await db.insert('htx_user', users);
  await db.insert('authtoken_token', spec.map((u) => ({ key: u.key, created: at('2022-01-17T08:00:00.000Z'), user_id: u.id })));
  const invites = { 1: 'AcmeInviteToken0123456789abcdefghijklmno', 2: 'a1b2c3d4e5f60718' };
  await db.insert('organization', [
    { id: 1, title: 'Acme Labeling', created_at: at(iso(1)), updated_at: at(iso(2)), created_by_id: 1, token: invites[1], ...(current ? { contact_info: 'ops@company.test', future_setting: 'x' } : {}) },
    { id: 2, title: 'Second Team', created_at: at(iso(5)), updated_at: at(iso(5)), created_by_id: 5, token: invites[2] },
  ]);
  const removedAt: Row = current ? { deleted_at: at('2025-02-01T00:00:00.000Z') } : {};
  const member = (id: number, organization: number, user: number, extra: Row = {}): Row => ({ id, created_at: at(iso(id)), updated_at: at(iso(id)), organization_id: organization, user_id: user, ...(current ? { deleted_at: null } : {}), ...extra });
  await db.insert('organizations_organizationmember', [
    member(1, 1, 1), member(2, 1, 2), member(3, 1, 3, removedAt), member(4, 1, 4), member(5, 2, 5), member(6, 1, 5), member(7, 1, 6), member(8, 1, 7), member(9, 1, 2),
  ]);
  const project = (id: number, organization: number, creator: number, title: string, deleted = false): Row => ({
    id, title, label_config: '<View><Image name="i" value="$image"/></View>', expert_instruction: '', show_instruction: false, maximum_annotations: 1, data_types: asJson({ image: 'Image' }),
    is_published: false, created_at: at(iso(id)), updated_at: at(iso(id)), created_by_id: creator, token: 'p', organization_id: organization, description: `about ${title}`, color: '#FFFFFF',
    ...(current ? { label_config_hash: '-8070450532247928832', deleted_at: deleted ? at('2025-10-20T00:00:00.000Z') : null, annotator_evaluation_enabled: false } : {}),
  });
  await db.insert('project', [project(1, 1, 1, 'Images'), project(2, 1, 2, 'Texts'), project(3, 2, 5, 'Audio'), ...(current ? [project(4, 1, 1, 'Deleted one', true)] : [])]);
  const taskProjects = [1, 1, 1, 1, 2, 2, 3, ...(current ? [4] : [])];
  await db.insert('task', taskProjects.map((projectId, i) => ({
    id: i + 1, data: asJson({ image: `s3://bucket/${i + 1}.png`, note: 'café' }), created_at: at(iso(i)), updated_at: at(iso(i)), is_labeled: false, project_id: projectId, meta: asJson({}), overlap: 1, inner_id: i + 1, total_annotations: 0, cancelled_annotations: 0,
  })));
  // [id, task, author (null: deleted account), cancelled, ground truth]
  const work: Array<[number, number, number | null, boolean, boolean]> = [[1, 1, 2, false, false], [2, 2, 2, false, false], [3, 3, 2, true, false], [4, 5, 2, false, true], [5, 1, 3, false, false], [6, 2, 3, false, false], [7, 4, 1, false, false], [8, 7, 5, false, false], [9, 6, null, false, false], [10, 3, 5, false, false], ...(current ? [[11, 8, 2, false, false] as [number, number, number, boolean, boolean]] : [])];
  await db.insert('task_completion', work.map(([id, task, author, cancelled, truth]) => ({
    id, result: asJson([{ type: 'choices', value: { choices: ['ok'] } }]), was_cancelled: cancelled, ground_truth: truth, created_at: at(iso(id)), updated_at: at(iso(id)), task_id: task, prediction: asJson({}), lead_time: 3.5, result_count: 1, completed_by_id: author,
    ...(version === 'too-old' ? {} : { project_id: taskProjects[task - 1] ?? null, unique_id: current && db.engine === 'postgres' ? `00000000-0000-4000-8000-${String(id).padStart(12, '0')}` : `${String(id).padStart(32, '0')}` }),
  })));
  const live: Array<{ userId: number; token: string }> = [];
  const blacklisted: Array<{ userId: number; token: string }> = [];
  if (current) {
    await db.insert('jwt_auth_jwtsettings', [{ organization_id: 1, api_tokens_enabled: true, api_token_ttl_days: 73000, legacy_api_tokens_enabled: true, created_at: at(iso(1)), updated_at: at(iso(1)) }]);
    const issued = [
      { id: 1, user: 1, jti: '1'.repeat(32), whole: false },
      { id: 2, user: 2, jti: '2'.repeat(32), whole: false },
      { id: 3, user: 2, jti: '3'.repeat(32), whole: false },
      { id: 4, user: 5, jti: '4'.repeat(32), whole: true },
    ].map((t) => ({ ...t, ...labelStudioPat(LS_SECRET_KEY, t.user, 1751278272 + t.id, t.jti) }));
    await db.insert('token_blacklist_outstandingtoken', issued.map((t) => ({ id: t.id, token: t.whole ? t.token : t.prefix, created_at: at('2025-06-30T10:11:12.131Z'), expires_at: at('2225-05-13T10:11:12.000Z'), user_id: t.user, jti: t.jti })));
    await db.insert('token_blacklist_blacklistedtoken', [{ id: 1, blacklisted_at: at('2025-07-01T00:00:00.000Z'), token_id: 2 }]);
    for (const t of issued) (t.id === 2 ? blacklisted : live).push({ userId: t.user, token: t.token });
    await db.insert('projects_projecthotkeypreference', [{ id: 1, custom_hotkeys: asJson({ 'annotation:submit': { key: 'ctrl+s', active: true } }), created_at: at(iso(1)), updated_at: at(iso(1)), project_id: 1, user_id: 1 }]);
  }
  return {
    users: spec.map((u) => ({ id: u.id, email: u.email.toLowerCase(), password: u.password, key: u.key, active: u.active !== false })),
    removedUserId: 3,
    invites,
    pats: { live, blacklisted },
    contributions: [
      { organization: 1, user: 2, annotations: 4, projects: 2 },
      { organization: 1, user: 3, annotations: 2, projects: 1 },
      { organization: 1, user: 1, annotations: 1, projects: 1 },
      { organization: 1, user: 5, annotations: 1, projects: 1 },
      { organization: 2, user: 5, annotations: 1, projects: 1 },
    ],
    avatars: { copied: [1, 2], missing: [5], rejected: [7] },
    counts: { projects: 3, tasks: 7, annotations: 10 },
  };
}
