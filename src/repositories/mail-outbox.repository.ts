import type { Insertable, Kysely } from 'kysely';
import type { Database, MailOutboxRow, MailOutboxTable } from '#src/storage/schema.js';

/** A due time that never comes: the message stays in the outbox with its last error, for an operator to see. */
const GIVEN_UP = '9999-12-31T00:00:00.000Z';

/** SQL for the mail outbox: rows written by use cases, claimed and marked by the sender. */
export class MailOutboxRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(message: Insertable<MailOutboxTable>): Promise<void> {
    await this.db.insertInto('mail_outbox').values(message).execute();
  }

  /**
   * Leases the oldest message that is due and not leased (or whose lease ran out) until `leaseUntil`. The lease is
   * taken by one UPDATE that re-checks the lease, so two servers never both get the same message.
   */
  async claimNext(now: string, leaseUntil: string): Promise<MailOutboxRow | undefined> {
    const due = await this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!due) return undefined;
    return this.db
      .updateTable('mail_outbox')
      .set((eb) => ({ claimed_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', due.id)
      .where('sent_at', 'is', null)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .returningAll()
      .executeTakeFirst();
  }

  async markSent(id: number, at: string): Promise<void> {
    await this.db.updateTable('mail_outbox').set({ sent_at: at, claimed_until: null, last_error: null }).where('id', '=', id).execute();
  }

  /** Releases the lease after a failed delivery, to be tried again at `retryAt` (null: given up). */
  async markFailed(id: number, error: string, retryAt: string | null): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set({ claimed_until: null, last_error: error, next_attempt_at: retryAt ?? GIVEN_UP })
      .where('id', '=', id)
      .execute();
  }

  /** Messages not sent yet (for operators and tests). */
  listUnsent(): Promise<MailOutboxRow[]> {
    return this.db.selectFrom('mail_outbox').selectAll().where('sent_at', 'is', null).orderBy('id').execute();
  }
}
