import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '#src/storage/schema.js';
import type { WriteLedger } from './crash-workload.js';

/** What a check found: acknowledged writes that are gone or altered, and anything else that is broken. */
export interface CheckFindings {
  lost: string[];
  broken: string[];
}

/** A typed read-only view of the server's database, opened beside the server (never through its code). */
export interface DatabaseReader {
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** Opens the database at `url` for reading: SQLite read-only (safe next to a live server in WAL mode), PostgreSQL through a small pool. */
export function openReader(url: string): DatabaseReader {
  if (url.startsWith('sqlite:')) {
    const database = new SQLite(url.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    return { db, close: () => db.destroy() };
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  return { db, close: () => db.destroy() };
}

/** SQLite's own verdict on the file: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`. Run with the server dead. */
export function sqliteIntegrityProblems(file: string): string[] {
  const database = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const problems: string[] = [];
    const integrity = database.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    const verdicts = integrity.map((row) => row.integrity_check);
    if (verdicts.join() !== 'ok') problems.push(`PRAGMA integrity_check: ${verdicts.join('; ').slice(0, 500)}`);
    const dangling = database.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
    for (const row of dangling) problems.push(`PRAGMA foreign_key_check: ${row.table} row ${row.rowid} points at a missing ${row.parent} row`);
    return problems;
  } finally {
    database.close();
  }
}

interface StoredState {
  ownerFirstName: string | undefined;
  projects: Array<{ id: number; title: string; organization_id: number }>;
  tasks: Array<{ id: number; project_id: number; data: string }>;
  users: Array<{ id: number; email: string; first_name: string; active_organization_id: number | null }>;
  memberUserIds: Set<number>;
  tokenUserIds: Set<number>;
  orphans: string[];
}

/** Rows that point at nothing, whatever wrote them: foreign keys PostgreSQL would refuse, and the one column without a key. */
async function orphanProblems(db: Kysely<Database>): Promise<string[]> {
  const members = await db
    .selectFrom('organization_members as m')
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.id', 'm.user_id', 'm.organization_id'])
    .where((eb) => eb.or([eb('u.id', 'is', null), eb('o.id', 'is', null)]))
    .execute();
  const activeOrgs = await db
    .selectFrom('users as u')
    .leftJoin('organizations as o', 'o.id', 'u.active_organization_id')
    .select(['u.id', 'u.active_organization_id'])
    .where('u.active_organization_id', 'is not', null)
    .where('o.id', 'is', null)
    .execute();
  const tasks = await db
    .selectFrom('tasks as t')
    .leftJoin('projects as p', 'p.id', 't.project_id')
    .select(['t.id', 't.project_id'])
    .where('p.id', 'is', null)
    .execute();
  return [
    ...members.map((m) => `organization_members ${m.id} points at user ${m.user_id} or organization ${m.organization_id}, which does not exist`),
    ...activeOrgs.map((u) => `user ${u.id} has active organization ${u.active_organization_id}, which does not exist`),
    ...tasks.map((t) => `task ${t.id} belongs to project ${t.project_id}, which does not exist`),
  ];
}

async function readState(db: Kysely<Database>, runTag: string, ownerEmail: string, organizationId: number): Promise<StoredState> {
  const owner = await db.selectFrom('users').select('first_name').where('email', '=', ownerEmail).executeTakeFirst();
  const projects = await db
    .selectFrom('projects')
    .select(['id', 'title', 'organization_id'])
    .where('title', 'like', `crash ${runTag} %`)
    .execute();
  const tasks = await db.selectFrom('tasks').select(['id', 'project_id', 'data']).where('data', 'like', `%${runTag}-b%`).execute();
  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'first_name', 'active_organization_id'])
    .where('email', 'like', `crash-${runTag}-%`)
    .execute();
  const members = await db
    .selectFrom('organization_members')
    .select('user_id')
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .execute();
  const tokens = await db.selectFrom('legacy_tokens').select('user_id').execute();
  return {
    ownerFirstName: owner?.first_name,
    projects,
    tasks,
    users,
    memberUserIds: new Set(members.map((m) => m.user_id)),
    tokenUserIds: new Set(tokens.map((t) => t.user_id)),
    orphans: await orphanProblems(db),
  };
}

export interface LedgerCheck {
  ledger: WriteLedger;
  ownerEmail: string;
  organizationId: number;
  /** The owner's first_name before any PATCH. */
  initialFirstName: string;
}

/** Compares the database with the ledger: every acknowledged write is there as acknowledged, nothing is half-written. */
export async function checkLedger(db: Kysely<Database>, check: LedgerCheck): Promise<CheckFindings> {
  const { ledger } = check;
  const state = await readState(db, ledger.runTag, check.ownerEmail, check.organizationId);
  const lost: string[] = [];
  const broken: string[] = [...state.orphans];

  const projects = new Map(state.projects.map((p) => [p.id, p]));
  for (const project of ledger.projects) {
    const stored = projects.get(project.id);
    if (stored?.title !== project.title || stored.organization_id !== check.organizationId) {
      const now = stored ? `stored as "${stored.title}" in organization ${stored.organization_id}` : 'missing';
      lost.push(`project ${project.id} "${project.title}" (201 in round ${project.round}) is ${now}`);
    }
  }
  for (const stored of state.projects) {
    if (!ledger.projectTitles.has(stored.title)) broken.push(`project ${stored.id} "${stored.title}" was never requested`);
  }

  checkImports(ledger, state, lost, broken);
  checkUsers(check, state, lost, broken);

  const possible = possibleFirstNames(check);
  if (state.ownerFirstName === undefined) lost.push(`the owner ${check.ownerEmail} is missing`);
  else if (!possible.has(state.ownerFirstName)) {
    const some = [...possible].slice(-8).join(', ');
    lost.push(`owner first_name is "${state.ownerFirstName}", which no PATCH could have left last (possible: ${some})`);
  }
  return { lost, broken };
}

function batchOf(data: string): string | undefined {
  const parsed: unknown = JSON.parse(data);
  const batch = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).batch : undefined;
  return typeof batch === 'string' ? batch : undefined;
}

/** Acknowledged imports keep every task id; any import, answered or not, is stored whole or not at all. */
function checkImports(ledger: WriteLedger, state: StoredState, lost: string[], broken: string[]): void {
  const byBatch = new Map<string, Array<{ id: number; project_id: number }>>();
  for (const task of state.tasks) {
    const batch = batchOf(task.data);
    if (batch === undefined) continue;
    byBatch.set(batch, [...(byBatch.get(batch) ?? []), task]);
  }
  const attempted = new Set<string>();
  for (const attempt of ledger.imports) {
    attempted.add(attempt.batch);
    const stored = byBatch.get(attempt.batch) ?? [];
    const ids = new Set(stored.filter((t) => t.project_id === attempt.projectId).map((t) => t.id));
    if (attempt.taskIds) {
      const missing = attempt.taskIds.filter((id) => !ids.has(id));
      if (missing.length > 0) {
        lost.push(`import ${attempt.batch} into project ${attempt.projectId} (201 in round ${attempt.round}) lost tasks ${missing.join(', ')}`);
      }
    }
    if (stored.length !== 0 && (stored.length !== attempt.size || ids.size !== attempt.size)) {
      const where = `${ids.size} in project ${attempt.projectId}`;
      broken.push(`import ${attempt.batch} is half-written: ${stored.length} of ${attempt.size} tasks, ${where}`);
    }
  }
  for (const batch of byBatch.keys()) if (!attempted.has(batch)) broken.push(`tasks of batch ${batch} were never imported`);
}

/** Acknowledged users exist as answered; every user POST /api/users/ left behind is a whole member with a token. */
function checkUsers(check: LedgerCheck, state: StoredState, lost: string[], broken: string[]): void {
  const users = new Map(state.users.map((u) => [u.id, u]));
  for (const user of check.ledger.users) {
    const stored = users.get(user.id);
    if (stored?.email !== user.email || stored.first_name !== user.firstName) {
      const now = stored ? `stored as ${stored.email} "${stored.first_name}"` : 'missing';
      lost.push(`user ${user.id} ${user.email} (201 in round ${user.round}) is ${now}`);
    }
  }
  for (const stored of state.users) {
    const what = `user ${stored.id} ${stored.email}`;
    if (!check.ledger.userEmails.has(stored.email)) broken.push(`${what} was never requested`);
    if (!state.memberUserIds.has(stored.id)) broken.push(`${what} exists without a membership in organization ${check.organizationId}`);
    if (stored.active_organization_id !== check.organizationId) {
      broken.push(`${what} has active organization ${stored.active_organization_id}, not ${check.organizationId}`);
    }
    if (!state.tokenUserIds.has(stored.id)) broken.push(`${what} exists without its legacy API token`);
  }
}

/**
 * Values the owner's first_name may hold: a PATCH is ruled out when an acknowledged PATCH was sent after it had
 * settled (answered, or its server dead), since that one was written later. With no PATCH acknowledged, the
 * initial value is possible too.
 */
export function possibleFirstNames(check: LedgerCheck): Set<string> {
  const acknowledged = check.ledger.names.filter((a) => a.acknowledged);
  const lastSend = acknowledged.reduce((latest, a) => Math.max(latest, a.sentAt), -Infinity);
  const possible = new Set<string>();
  if (acknowledged.length === 0) possible.add(check.initialFirstName);
  for (const attempt of check.ledger.names) {
    if (attempt.settledAt === undefined || attempt.settledAt >= lastSend) possible.add(attempt.value);
  }
  return possible;
}
