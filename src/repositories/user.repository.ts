import { sql, type Kysely } from 'kysely';
import { ALL_TAGS, USER_PROFILES_TAG, userTag, type ChangeSink } from '#src/repositories/read-cache.js';
import { chunksOf } from '#src/repositories/chunks.js';
import { MEMBER_ORDER_COLUMNS, MEMBER_SEARCH_COLUMNS } from '#src/repositories/membership.repository.js';
import { USER_COLUMNS, type Database, type NewUser, type UserRow, type UserUpdate } from '#src/storage/schema.js';

/** The user's id and password hash: only what checking a password needs. */
export interface Credentials {
  id: number;
  password: string;
}

/**
 * Columns a member search matches or sorts by: changing one may change any remembered search (never remembered in
 * `last_activity` order, which moves all the time).
 */
const SEARCHED_COLUMNS = [...new Set([...MEMBER_SEARCH_COLUMNS, ...MEMBER_ORDER_COLUMNS])].filter((column) => column !== 'last_activity');

/** SQL for the users table. E-mails arrive normalised; lookups use the lower(email) index. The hash is never in a UserRow. */
export class UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly changed: ChangeSink = () => undefined,
  ) {}

  findById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst();
  }

  /** Id and password hash of the account with this e-mail. */
  findCredentials(email: string): Promise<Credentials | undefined> {
    return this.db
      .selectFrom('users')
      .select(['id', 'password'])
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst();
  }

  async passwordHash(id: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('users').select('password').where('id', '=', id).executeTakeFirst();
    return row?.password;
  }

  insert(user: NewUser): Promise<UserRow> {
    return this.db.insertInto('users').values(user).returning(USER_COLUMNS).executeTakeFirstOrThrow();
  }

  /** Stamps `last_activity` unless it is newer than `staleBefore`; true when it wrote. */
  async touchActivity(id: number, at: string, staleBefore: string): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ last_activity: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_activity', 'is', null), eb('last_activity', '<', staleBefore)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Inserts many users at once, ids included (an import keeping Label Studio's ids). */
  async insertMany(users: readonly NewUser[]): Promise<void> {
    for (const chunk of chunksOf(users, 18)) await this.db.insertInto('users').values(chunk).execute();
  }

  /** Id and stored e-mail of the accounts holding any of these (normalised) e-mails. */
  async findByEmails(emails: readonly string[]): Promise<Array<{ id: number; email: string }>> {
    const out: Array<{ id: number; email: string }> = [];
    for (const chunk of chunksOf([...new Set(emails)], 1)) {
      out.push(...(await this.db.selectFrom('users').select(['id', 'email']).where(sql<string>`lower(email)`, 'in', chunk).execute()));
    }
    return out;
  }

  /** Deactivates those of the users still active; returns how many changed. */
  async deactivateMany(ids: readonly number[]): Promise<number> {
    let changed = 0;
    for (const chunk of chunksOf(ids, 1)) {
      const result = await this.db.updateTable('users').set({ is_active: false }).where('id', 'in', chunk).where('is_active', '=', true).executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
    this.changed(ALL_TAGS);
    return changed;
  }

  async update(id: number, changes: UserUpdate): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute();
    const searched = SEARCHED_COLUMNS.some((column) => changes[column] !== undefined);
    this.changed(...(searched ? [userTag(id), USER_PROFILES_TAG] : [userTag(id)]));
  }

  /** True when the user created an organization (its owner); Label Studio never hard-deletes those. */
  async createdAnOrganization(id: number): Promise<boolean> {
    const row = await this.db.selectFrom('organizations').select('id').where('created_by_id', '=', id).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Takes the user row's lock until the transaction ends, so two requests of one user cannot both see "none yet"
   * and each create something (PostgreSQL; SQLite runs write transactions one at a time). A no-op UPDATE is the
   * lock both databases understand (SQLite has no SELECT … FOR UPDATE).
   */
  async lock(id: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set((eb) => ({ id: eb.ref('id') }))
      .where('id', '=', id)
      .execute();
  }
}
