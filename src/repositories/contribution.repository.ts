import type { Kysely } from 'kysely';
import type { Database } from '#src/storage/schema.js';

/** A project a member created or annotated in, tagged with that member. */
export interface MemberProjectRow {
  user_id: number;
  id: number;
  title: string;
}

/** SQL for what members did inside an organization: projects created, projects annotated, annotation counts. */
export class ContributionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Projects of the organization created by any of the users, by project id; at most `limit` per call. */
  async createdProjects(organizationId: number, userIds: readonly number[], limit?: number): Promise<MemberProjectRow[]> {
    if (userIds.length === 0) return [];
    let query = this.db
      .selectFrom('projects')
      .select(['created_by_id', 'id', 'title'])
      .where('organization_id', '=', organizationId)
      .where('created_by_id', 'in', [...userIds])
      .orderBy('id');
    if (limit !== undefined) query = query.limit(limit);
    const rows = await query.execute();
    return rows.flatMap((r) => (r.created_by_id === null ? [] : [{ user_id: r.created_by_id, id: r.id, title: r.title }]));
  }

  /** Distinct projects of the organization where any of the users has annotations, by project id. */
  async contributedProjects(organizationId: number, userIds: readonly number[], limit?: number): Promise<MemberProjectRow[]> {
    if (userIds.length === 0) return [];
    let query = this.db
      .selectFrom('annotations as a')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .select(['a.completed_by_id', 'p.id', 'p.title'])
      .distinct()
      .where('p.organization_id', '=', organizationId)
      .where('a.completed_by_id', 'in', [...userIds])
      .orderBy('p.id')
      .orderBy('a.completed_by_id');
    if (limit !== undefined) query = query.limit(limit);
    const rows = await query.execute();
    return rows.flatMap((r) => (r.completed_by_id === null ? [] : [{ user_id: r.completed_by_id, id: r.id, title: r.title }]));
  }

  /** How many annotations the user made in the organization's projects, and in how many projects. */
  async countsFor(organizationId: number, userId: number): Promise<{ annotations: number; projects: number }> {
    const row = await this.db
      .selectFrom('annotations as a')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .select((eb) => [eb.fn.countAll<number>().as('annotations'), eb.fn.count<number>('a.project_id').distinct().as('projects')])
      .where('p.organization_id', '=', organizationId)
      .where('a.completed_by_id', '=', userId)
      .executeTakeFirst();
    return { annotations: Number(row?.annotations ?? 0), projects: Number(row?.projects ?? 0) };
  }
}
