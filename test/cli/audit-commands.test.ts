import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { presentActivityCsvHeader, presentActivityEntry } from '#src/http/presenters/activity-log.presenter.js';
import { systemContext } from '#src/policies/action-context.js';
import type { NewActivityLog } from '#src/storage/schema.js';
import { DATABASE_KINDS, skipReason, tempDir } from '../helpers/databases.js';
import { buildOrganization, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { jsonOf, operatorCli } from '../helpers/operator-cli.js';
import { useTestServer } from '../helpers/test-server.js';

const DAY = 86_400_000;

/** A log entry written straight through the repository: the only way to date one in the past for a subprocess. */
function entryAt(organizationId: number, createdAt: Date, action = 'member.role_changed'): NewActivityLog {
  return {
    created_at: createdAt.toISOString(),
    organization_id: organizationId,
    actor_id: null,
    actor_email: '',
    action,
    target_type: null,
    target_id: null,
    project_id: null,
    request_method: 'SYSTEM',
    request_url: 'test fixture',
    response_code: '200',
    auth_method: 'system',
    ip_address: null,
    user_agent: null,
    request_id: randomUUID(),
    details: '{}',
  };
}

/** RFC 4180 fields: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), (i += 1);
    } else field += ch;
  }
  return rows;
}

for (const kind of DATABASE_KINDS) {
  describe(`label-studio audit … [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    const cli = operatorCli(fixture);
    let owner: TestUser;
    let organizationId: number;

    const insert = (entries: NewActivityLog[]) =>
      fixture.ctx.deps.uow.run(systemContext('test'), async (tx) => {
        for (const entry of entries) await tx.repos.activityLog.insert(entry);
      });
    const httpExport = async (query: string) => {
      const response = await fixture.client().get(`/api/activity-logs/export?${query}`, { headers: tokenAuth(owner.token) });
      assert.equal(response.status, 200, response.text);
      return response.text;
    };

    before(async () => {
      owner = await buildOwner(fixture.ctx, { email: 'owner@example.com' });
      organizationId = owner.user.active_organization_id ?? 0;
      // Entries of every shape the CLI writes, details with quotes and commas included (CSV quoting).
      for (const args of [
        ['users', 'create', '--username', 'ann@example.com', '--first-name', 'Ann, "the first"'],
        ['users', 'set-role', '--username', 'ann@example.com', '--role', 'MA'],
        ['users', 'deactivate', '--username', 'ann@example.com'],
        ['users', 'create', '--username', 'bob@example.com', '--password', 'Sturdy-Pass-2024'],
      ]) {
        const result = cli.run(args);
        assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
      }
    });

    test('export: JSONL and CSV are byte for byte the HTTP export, and hold every entry of the organization', async () => {
      const rows = await fixture.ctx.repos.activityLog.list({ organizationId }, 10_000, 0);
      assert.ok(rows.length >= 5, `expected the set-up entries, found ${rows.length}`);

      const jsonl = cli.run(['audit', 'export']);
      assert.equal(jsonl.status, 0, jsonl.stderr);
      assert.equal(jsonl.stdout, await httpExport('format=jsonl'));
      const lines = jsonl.stdout.trimEnd().split('\n');
      assert.deepEqual(lines.map((line) => JSON.parse(line) as unknown), rows.map(presentActivityEntry));
      assert.equal(jsonl.stderr, `Exported ${rows.length} entries of "Label Studio" (organization ${organizationId}) as jsonl.\n`);

      const csv = cli.run(['audit', 'export', '--format', 'csv']);
      assert.equal(csv.status, 0, csv.stderr);
      assert.equal(csv.stdout, await httpExport('format=csv'));
      assert.ok(csv.stdout.startsWith(presentActivityCsvHeader()));
      const [header, ...records] = parseCsv(csv.stdout);
      assert.deepEqual(header, presentActivityCsvHeader().trimEnd().split(','));
      assert.deepEqual(records.map((record) => Number(record[0])), rows.map((row) => row.id));
      const column = (name: string) => header?.indexOf(name) ?? -1;
      for (const [record, row] of records.map((record, i) => [record, rows[i]] as const)) {
        assert.equal(record[column('action')], row?.action);
        assert.equal(record[column('auth_method')], row?.auth_method);
        assert.deepEqual(JSON.parse(record[column('details')] ?? ''), JSON.parse(row?.details ?? ''));
      }
    });

    test('export filters by action and time, and writes a 0600 file with --output', () => {
      const roleChanges = cli.run(['audit', 'export', '--action', 'member.role_changed,member.deactivated']);
      const actions = roleChanges.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { extra_data: { action: string } }).extra_data.action);
      assert.deepEqual(actions, ['member.deactivated', 'member.role_changed']);
      assert.ok(roleChanges.stdout.includes('"auth_method":"cli"'));

      const future = new Date(Date.now() + DAY).toISOString();
      assert.equal(cli.run(['audit', 'export', '--format', 'csv', '--since', future]).stdout, presentActivityCsvHeader());
      assert.equal(cli.run(['audit', 'export', '--until', '2000-01-01']).stdout, '');
      const all = cli.run(['audit', 'export']).stdout;
      assert.equal(cli.run(['audit', 'export', '--since', '2000-01-01T00:00:00Z', '--until', future]).stdout, all);

      const file = join(tempDir(), 'log.jsonl');
      const written = cli.run(['audit', 'export', '--output', file]);
      assert.equal(written.status, 0, written.stderr);
      assert.equal(written.stdout, '');
      assert.match(written.stderr, new RegExp(`as jsonl to ${file.replace(/[.\\/]/g, '\\$&')}\\.\\n$`));
      assert.equal(readFileSync(file, 'utf8'), all);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(existsSync(`${file}.partial`), false);
    });

    test('export refuses an unknown action, a malformed instant and an unknown organization', () => {
      const cases: Array<[string[], RegExp]> = [
        [['audit', 'export', '--action', 'member.role_changed,nope'], /^Error: --action: Unknown action nope\.$/m],
        [['audit', 'export', '--since', 'yesterday'], /^Error: --since: Datetime has wrong format\. Use ISO 8601/m],
        [['audit', 'export', '--until', '2026-13-45'], /^Error: --until: Datetime has wrong format/m],
        [['audit', 'export', '--organization', '424242'], /^Error: Organization 424242 not found\.$/m],
        [['audit', 'export', '--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are jsonl, csv\./],
      ];
      for (const [args, message] of cases) {
        const result = cli.run(args);
        assert.equal(result.status, 1, args.join(' '));
        assert.equal(result.stdout, '', args.join(' '));
        assert.match(result.stderr, message, args.join(' '));
      }
    });

    test('purge --days deletes only older entries; the configured retention is the default; 0 or none is refused', async () => {
      const now = Date.now();
      await insert([entryAt(organizationId, new Date(now - 40 * DAY)), entryAt(organizationId, new Date(now - 31 * DAY)), entryAt(organizationId, new Date(now - 10 * DAY))]);
      const before = await fixture.ctx.repos.activityLog.count({ organizationId });

      assert.deepEqual(jsonOf(cli.run(['audit', 'purge', '--days', '30', '--json'])), { days: 30, deleted: 2 });
      // The purge leaves its own entry: who purged, how many, up to when.
      const purges = await fixture.ctx.repos.activityLog.list({ organizationId, actions: ['activity_log.purged'] }, 10, 0);
      assert.equal(purges.length, 1);
      assert.equal(purges[0]?.auth_method, 'cli');
      assert.equal(purges[0]?.request_url, 'label-studio audit purge');
      const { deleted, retention_days } = JSON.parse(purges[0]?.details ?? '{}') as Record<string, unknown>;
      assert.deepEqual({ deleted, retention_days }, { deleted: 2, retention_days: 30 });
      assert.equal(await fixture.ctx.repos.activityLog.count({ organizationId }), before - 2 + 1);
      assert.deepEqual(jsonOf(cli.run(['audit', 'purge', '--days', '30', '--json'])), { days: 30, deleted: 0 });
      assert.equal(await fixture.ctx.repos.activityLog.count({ organizationId, actions: ['activity_log.purged'] }), 1, 'a purge that deleted nothing leaves no entry');

      const configured = operatorCli(fixture, { LABEL_STUDIO_ACTIVITY_LOG_RETENTION_DAYS: '5' }).run(['audit', 'purge']);
      assert.equal(configured.status, 0, configured.stderr);
      assert.equal(configured.stdout, 'Deleted 1 activity-log entry older than 5 days (every organization).\n');
      assert.equal(await fixture.ctx.repos.activityLog.count({ organizationId }), before - 3 + 2);

      const unset = cli.run(['audit', 'purge']);
      assert.equal(unset.status, 1);
      assert.match(unset.stderr, /^Error: --days: No retention is configured \(LABEL_STUDIO_ACTIVITY_LOG_RETENTION_DAYS is 0: keep everything\)/m);
      for (const days of ['0', '-3', '1.5', 'many']) {
        const refused = cli.run(['audit', 'purge', '--days', days]);
        assert.equal(refused.status, 1, days);
        assert.match(refused.stderr, /option '--days <n>' argument '.*' is invalid\. Give a whole number, at least 1\./, days);
      }
      assert.equal(await fixture.ctx.repos.activityLog.count({ organizationId }), before - 3 + 2, 'refusals deleted nothing');
    });

    if (kind === 'sqlite') {
      test('a long export to a file shows a progress bar at a terminal, and none without one', async () => {
        const { organizationId: big } = await buildOrganization(fixture.ctx, { email: 'big-owner@example.com', title: 'Big' });
        const at = new Date();
        await insert(Array.from({ length: 1_200 }, () => entryAt(big, at)));
        const file = join(tempDir(), 'big.csv');
        const watched = await cli.inTerminal(['audit', 'export', '--organization', String(big), '--format', 'csv', '--output', file], []);
        assert.equal(watched.status, 0, watched.stdout);
        assert.match(watched.stdout, /Exporting \[/);
        assert.match(watched.stdout, /1200\/1200 entries/);
        assert.match(watched.stdout, /Exported 1200 entries of "Big"/);
        assert.equal(readFileSync(file, 'utf8').split('\r\n').length, 1 + 1_200 + 1);

        const piped = cli.run(['audit', 'export', '--organization', String(big)]);
        assert.equal(piped.stdout.trimEnd().split('\n').length, 1_200);
        assert.doesNotMatch(piped.stderr, /Exporting \[/);
      });
    }
  });
}
