/**
 * A large Label Studio SQLite database, built fast (prepared statements in one transaction) for the crash rounds and
 * the import bench: one organization, `users` members with one Django hash between them (the import never hashes),
 * legacy keys, projects, tasks and `annotations` spread over the users.
 */
import SQLite from 'better-sqlite3';
import { createLabelStudioDb } from './label-studio-db.js';
import { djangoHash } from './label-studio-fixture.js';

export interface BulkShape {
  users: number;
  projects: number;
  tasks: number;
  annotations: number;
}

/** The password every bulk user logs in with. */
export const BULK_PASSWORD = 'bulk-password-1';

/** Builds the database at `file` (a fresh path). */
export async function buildBulkSource(file: string, shape: BulkShape): Promise<void> {
  await (await createLabelStudioDb('sqlite', file, 'current')).close();
  const db = new SQLite(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  const hash = djangoHash(BULK_PASSWORD, 'BulkSaltBulkSaltBulk22', 1000);
  const stamp = '2024-05-06 07:08:09.101112';
  const fill = db.transaction(() => {
    const user = db.prepare(
      `INSERT INTO htx_user (id, password, is_superuser, username, email, first_name, last_name, is_staff, is_active, date_joined, last_activity, activity_at, phone, avatar, active_organization_id, custom_hotkeys)
       VALUES (?, ?, 0, ?, ?, ?, '', 0, 1, ?, ?, ?, '', '', 1, '{}')`,
    );
    const key = db.prepare('INSERT INTO authtoken_token (key, created, user_id) VALUES (?, ?, ?)');
    const member = db.prepare('INSERT INTO organizations_organizationmember (id, created_at, updated_at, organization_id, user_id) VALUES (?, ?, ?, 1, ?)');
    for (let id = 1; id <= shape.users; id += 1) {
      user.run(id, hash, `user${id}`, `user${id}@bulk.test`, `User ${id}`, stamp, stamp, stamp);
      key.run(`${id.toString(16).padStart(8, '0')}${'0'.repeat(32)}`, stamp, id);
      member.run(id, stamp, stamp, id);
    }
    db.prepare(`INSERT INTO organization (id, title, created_at, updated_at, created_by_id, token) VALUES (1, 'Bulk', ?, ?, 1, 'BulkInviteToken0000000000000000000000000')`).run(stamp, stamp);
    const project = db.prepare(
      `INSERT INTO project (id, title, label_config, show_instruction, maximum_annotations, is_published, created_at, updated_at, created_by_id, organization_id, annotator_evaluation_enabled)
       VALUES (?, ?, '<View/>', 0, 1, 0, ?, ?, ?, 1, 0)`,
    );
    for (let id = 1; id <= shape.projects; id += 1) project.run(id, `Project ${id}`, stamp, stamp, 1 + (id % shape.users));
    const task = db.prepare(`INSERT INTO task (id, data, created_at, updated_at, is_labeled, project_id, meta, overlap, total_annotations, cancelled_annotations) VALUES (?, ?, ?, ?, 0, ?, '{}', 1, 0, 0)`);
    for (let id = 1; id <= shape.tasks; id += 1) task.run(id, `{"image": "s3://bucket/${id}.jpg"}`, stamp, stamp, 1 + (id % shape.projects));
    const annotation = db.prepare(
      `INSERT INTO task_completion (id, result, was_cancelled, ground_truth, created_at, updated_at, task_id, lead_time, result_count, completed_by_id, project_id)
       VALUES (?, '[{"type": "choices", "value": {"choices": ["a"]}}]', ?, 0, ?, ?, ?, 2.5, 1, ?, ?)`,
    );
    for (let id = 1; id <= shape.annotations; id += 1) {
      const taskId = 1 + (id % shape.tasks);
      annotation.run(id, id % 17 === 0 ? 1 : 0, stamp, stamp, taskId, 1 + (id % shape.users), 1 + (taskId % shape.projects));
    }
  });
  fill();
  db.close();
}
