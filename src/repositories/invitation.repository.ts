import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, EmailInvitationRow, EmailInvitationTable, InvitationStatus } from '#src/storage/schema.js';

/** What the invitations list shows: `expired` is a pending invitation past its expiry. */
export type InvitationListStatus = InvitationStatus | 'expired';

export interface InvitationListQuery {
  organizationId: number;
  statuses: readonly InvitationListStatus[];
  now: string;
  limit: number;
  offset: number;
}

/** An invitation with who sent it. */
export interface InvitationWithInviter extends EmailInvitationRow {
  inviter_email: string | null;
}

/** SQL for e-mail invitations. */
export class InvitationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  insert(row: Insertable<EmailInvitationTable>): Promise<EmailInvitationRow> {
    return this.db.insertInto('email_invitations').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, changes: Updateable<EmailInvitationTable>): Promise<void> {
    await this.db.updateTable('email_invitations').set(changes).where('id', '=', id).execute();
  }

  findById(organizationId: number, id: number): Promise<EmailInvitationRow | undefined> {
    return this.db.selectFrom('email_invitations').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  }

  findByHash(tokenHash: string): Promise<EmailInvitationRow | undefined> {
    return this.db.selectFrom('email_invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** The open (pending, maybe expired) invitation of this address to the organization. */
  findOpen(organizationId: number, email: string): Promise<EmailInvitationRow | undefined> {
    return this.db
      .selectFrom('email_invitations')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('email', '=', email)
      .where('status', '=', 'pending')
      .executeTakeFirst();
  }

  /**
   * Closes a pending invitation (accepted or revoked): one UPDATE that re-checks it is still pending, so an
   * acceptance and a revocation racing never both win. True when this call closed it.
   */
  async close(id: number, changes: Updateable<EmailInvitationTable> & { status: 'accepted' | 'revoked' }): Promise<boolean> {
    const result = await this.db.updateTable('email_invitations').set(changes).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private filtered(query: Pick<InvitationListQuery, 'organizationId' | 'statuses' | 'now'>) {
    const { statuses, now } = query;
    return this.db
      .selectFrom('email_invitations as i')
      .where('i.organization_id', '=', query.organizationId)
      .where((eb) =>
        eb.or([
          ...(statuses.includes('pending') ? [eb.and([eb('i.status', '=', 'pending'), eb('i.expires_at', '>', now)])] : []),
          ...(statuses.includes('expired') ? [eb.and([eb('i.status', '=', 'pending'), eb('i.expires_at', '<=', now)])] : []),
          ...(['accepted', 'revoked'] as const).filter((s) => statuses.includes(s)).map((s) => eb('i.status', '=', s)),
        ]),
      );
  }

  async count(query: Pick<InvitationListQuery, 'organizationId' | 'statuses' | 'now'>): Promise<number> {
    const row = await this.filtered(query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** One page, most recently sent first. */
  list(query: InvitationListQuery): Promise<InvitationWithInviter[]> {
    return this.filtered(query)
      .leftJoin('users as u', 'u.id', 'i.invited_by_id')
      .selectAll('i')
      .select('u.email as inviter_email')
      .orderBy('i.last_sent_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute();
  }
}
