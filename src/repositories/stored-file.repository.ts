import type { Kysely } from 'kysely';
import type { Database } from '#src/storage/schema.js';

/** SQL for files kept in the database. */
export class StoredFileRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(name: string, contentType: string, data: Buffer, at: string): Promise<void> {
    await this.db.insertInto('stored_files').values({ name, content_type: contentType, data, created_at: at }).execute();
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('stored_files').where('name', '=', name).execute();
  }

  async find(name: string): Promise<{ data: Buffer; contentType: string } | undefined> {
    const row = await this.db.selectFrom('stored_files').select(['data', 'content_type']).where('name', '=', name).executeTakeFirst();
    return row ? { data: Buffer.from(row.data), contentType: row.content_type } : undefined;
  }
}
