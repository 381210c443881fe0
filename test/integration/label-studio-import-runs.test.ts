import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { openReader } from '../helpers/crash-checks.js';
import { runCli } from '../helpers/cli.js';
import { diffSnapshots, takeSnapshot, type DataSnapshot } from '../helpers/data-snapshot.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { bearerAuth, tokenAuth } from '../helpers/http-client.js';
import { emptySource, fileState, fixtureSource, importTarget, runImport, serveTarget, sourceArgs, targetConfig, type ImportTarget } from '../helpers/label-studio-import.js';

async function snapshot(target: ImportTarget): Promise<DataSnapshot> {
  const reader = openReader(target.url);
  try {
    return await takeSnapshot(reader.db, target.kind);
  } finally {
    await reader.close();
  }
}

/** The target as `label-studio init` leaves it: one account (the e-mail Label Studio's user 2 has) and its organization. */
function initialise(target: ImportTarget, email = 'ann@company.test'): void {
  const result = runCli(['init', ...target.common, '--username', email, '--password', 'existing-pass-1'], target.env);
  assert.equal(result.status, 0, result.stderr);
}

const avatarFiles = (target: ImportTarget): string[] => {
  const dir = join(target.dataDir, 'media', 'avatars');
  return existsSync(dir) ? readdirSync(dir) : [];
};

for (const kind of DATABASE_KINDS) {
  describe(`import-label-studio runs [${kind}]`, { skip: skipReason(kind) }, () => {
    test('a dry run reports what it would do and writes nothing, not even a new database', async () => {
      const { source } = await fixtureSource('sqlite');
      const target = await importTarget(kind);
      initialise(target);
      const before = await snapshot(target);
      const dry = runImport(target, [...sourceArgs(source), '--dry-run', '--on-conflict', 'skip']);
      assert.equal(dry.status, 0, dry.stderr);
      assert.equal(dry.report?.outcome, 'dry-run');
      assert.equal(dry.report?.counts.users.imported, 6);
      assert.equal(dry.report?.counts.avatars.copied, 1, 'the skipped user brings no avatar');
      assert.deepEqual(diffSnapshots(before, await snapshot(target)), []);
      assert.deepEqual(avatarFiles(target), []);
      if (kind === 'sqlite') {
        const fresh = await importTarget('sqlite');
        const run = runImport(fresh, [...sourceArgs(source), '--dry-run']);
        assert.equal(run.report?.counts.users.imported, 7, run.stderr);
        assert.equal(existsSync(fresh.url.slice('sqlite:'.length)), false, 'no database file created');
        assert.equal(existsSync(join(fresh.dataDir, 'secret_key')), false, 'no instance secret created');
      }
    });

    test('a source in WAL mode is read without a trace: the file and its folder are left exactly as they were', async () => {
      const { source } = await fixtureSource('sqlite');
      const file = source.file ?? '';
      const wal = new SQLite(file);
      wal.pragma('journal_mode = WAL');
      wal.close();
      const before = fileState(file);
      const target = await importTarget(kind);
      const run = runImport(target, sourceArgs(source));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(fileState(file), before);
    });

    test('a re-run is idempotent: nothing duplicated, nothing changed but the log of runs', async () => {
      const { source } = await fixtureSource('sqlite');
      const target = await importTarget(kind);
      assert.equal(runImport(target, sourceArgs(source)).status, 0);
      const first = await snapshot(target);
      const again = runImport(target, sourceArgs(source));
      assert.equal(again.status, 0, again.stderr);
      const counts = again.report?.counts;
      assert.deepEqual([counts?.users.imported, counts?.users.alreadyImported, counts?.memberships.imported, counts?.annotations.imported, counts?.personalAccessTokens.kept], [0, 7, 0, 0, 0]);
      const changed = diffSnapshots(first, await snapshot(target));
      assert.deepEqual(changed, ['activity_log: 1 → 2 rows', 'label_studio_import_sources: rows changed']);
    });

    test('e-mail conflicts: fail refuses with every conflict listed, skip leaves the user out, merge joins the account', async () => {
      const { source } = await fixtureSource('sqlite');
      const refusedTarget = await importTarget(kind);
      initialise(refusedTarget);
      const before = await snapshot(refusedTarget);
      const refused = runImport(refusedTarget, sourceArgs(source));
      assert.equal(refused.status, 3, refused.stderr);
      assert.equal(refused.report?.outcome, 'refused');
      assert.deepEqual(refused.report?.conflicts, [{ labelStudioUserId: 2, email: 'ann@company.test', existingUserId: 1, resolution: 'refused' }]);
      assert.deepEqual(diffSnapshots(before, await snapshot(refusedTarget)), [], 'nothing written');
      const text = runCli(['import-label-studio', ...refusedTarget.common, ...sourceArgs(source)], refusedTarget.env);
      assert.match(text.stdout, /ann@company\.test: Label Studio user 2, user 1 here — refused/);
      assert.match(text.stdout, /--on-conflict skip/);

      const skipTarget = await importTarget(kind);
      initialise(skipTarget);
      const skipped = runImport(skipTarget, [...sourceArgs(source), '--on-conflict', 'skip']);
      assert.equal(skipped.status, 0, skipped.stderr);
      assert.deepEqual([skipped.report?.counts.users.imported, skipped.report?.counts.users.skipped], [6, 1]);
      // init took ids 1 (user) and 1 (organization): Label Studio's got new ones, the others kept theirs.
      assert.equal(skipped.report?.counts.renumbered.users, 1);
      assert.equal(skipped.report?.counts.renumbered.organizations, 1);

      const mergeTarget = await importTarget(kind);
      initialise(mergeTarget);
      const merged = runImport(mergeTarget, [...sourceArgs(source), '--on-conflict', 'merge']);
      assert.equal(merged.status, 0, merged.stderr);
      assert.equal(merged.report?.counts.users.merged, 1);
      const server = await serveTarget(mergeTarget);
      try {
        const web = server.client();
        assert.equal((await web.login('ann@company.test', 'existing-pass-1')).status, 302, "the account's own password stays");
        assert.equal((await server.client().login('ann@company.test', 'annotator-pw')).status, 200, 'the Label Studio password does not replace it');
        const organizations = await server.ctx.repos.memberships.listOrganizationsOfUser(1);
        const imported = organizations.find((org) => org.title === 'Acme Labeling');
        assert.ok(imported, 'the account joined the imported organization');
        assert.deepEqual(await server.ctx.repos.contributions.countsFor(imported.id, 1), { annotations: 4, projects: 2 });
        const pat = merged.report ? (await server.ctx.repos.personalTokens.findByJti('3'.repeat(32))) : undefined;
        assert.equal(pat?.user_id, 1, "Label Studio user 2's PAT now belongs to the account");
      } finally {
        await server.close();
      }
    });

    test('a database older than the supported range is refused clearly; a 2023 one imports', async () => {
      const target = await importTarget(kind);
      const { source: old, db } = await emptySource('sqlite', 'too-old');
      await db.close();
      const refused = runImport(target, sourceArgs(old));
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /older than the supported range.*tasks\.0029_annotation_project.*column task_completion\.project_id.*Upgrade that Label Studio/s);

      const { source } = await fixtureSource('sqlite', 'release-2023');
      const run = runImport(target, sourceArgs(source));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual([run.report?.counts.users.imported, run.report?.counts.annotations.imported, run.report?.patsMustBeReissued], [7, 10, false]);
      const server = await serveTarget(target);
      try {
        // No jwt_auth migrations: that Label Studio always accepted legacy keys, and still does here.
        const me = await server.client().get('/api/current-user/whoami', { headers: tokenAuth('e'.repeat(8) + '0123456789abcdef0123456789abcdef') });
        assert.equal(me.status, 200);
      } finally {
        await server.close();
      }
    });

    test('without the secret key PATs are reported as to be re-issued; a wrong key is caught when it can be; the right one fixes both', async () => {
      const { source, fixture } = await fixtureSource('sqlite');
      rmSync(source.envFile);
      const target = await importTarget(kind);
      const run = runImport(target, sourceArgs(source));
      assert.equal(run.report?.patsMustBeReissued, true);
      assert.equal(run.report?.counts.personalAccessTokens.notCarried, 3);
      const text = runCli(['import-label-studio', ...target.common, ...sourceArgs(source), '--dry-run'], target.env);
      assert.match(text.stdout, /NOT carried over: 3 live tokens must be re-issued/);
      const wrong = runImport(target, [...sourceArgs(source), '--secret-key', 'not-the-label-studio-key']);
      assert.equal(wrong.report?.counts.personalAccessTokens.kept, 3, wrong.stderr);
      assert.ok(wrong.report?.warnings.some((w) => w.kind === 'secret_key_mismatch'), 'a token stored whole shows the key is wrong');
      const keyFile = join(source.dir, 'key.txt');
      writeFileSync(keyFile, 'k3#x9$vq(2%f@z8!w&m^7*p-_=+)r0t1y4u5i6o7a8s9d0f1g2\n');
      const right = runImport(target, [...sourceArgs(source), '--secret-key-file', keyFile]);
      assert.equal(right.report?.counts.personalAccessTokens.rekeyed, 4, right.stderr);
      assert.deepEqual(right.report?.warnings.filter((w) => w.kind === 'secret_key_mismatch'), []);
      const server = await serveTarget(target);
      try {
        for (const { token } of fixture.pats.live) assert.equal((await server.client().post('/api/token/refresh/', { json: { refresh: token } })).status, 200);
      } finally {
        await server.close();
      }
    });

    test('Enterprise role columns are kept, --default-role gives the rest; avatars go to the database file store when set', async () => {
      const { source } = await fixtureSource('sqlite');
      const ls = new SQLite(source.file ?? '');
      ls.exec(`ALTER TABLE organizations_organizationmember ADD COLUMN role varchar(2) NULL;
        UPDATE organizations_organizationmember SET role = 'MA' WHERE id = 2;
        UPDATE organizations_organizationmember SET role = 'VO' WHERE id = 4;
        UPDATE organizations_organizationmember SET role = 'OW' WHERE id = 6;`);
      ls.close();
      const target = await importTarget(kind);
      const run = runImport(target, [...sourceArgs(source), '--default-role', 'RE'], { LABEL_STUDIO_FILE_STORE: 'database' });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(run.report?.warnings.some((w) => w.kind === 'role_unknown' && w.examples[0]?.includes('VO')));
      const config = targetConfig(target);
      const server = await serveTarget(target, { ...config, files: { store: 'database' } });
      try {
        const roles = new Map((await server.ctx.repos.memberships.listOfOrganization(1)).map((m) => [m.user_id, m.role]));
        assert.deepEqual([roles.get(1), roles.get(2), roles.get(4), roles.get(5), roles.get(6)], ['OW', 'MA', 'RE', 'AD', 'RE']);
        assert.equal((await server.ctx.repos.organizations.findById(1))?.default_role, 'RE', 'invite-link sign-ups get the same role');
        assert.deepEqual(avatarFiles(target), [], 'no file on disk');
        const me = (await server.client().get('/api/current-user/whoami', { headers: tokenAuth('a'.repeat(8) + '0123456789abcdef0123456789abcdef') })).body as { avatar: string };
        const picture = await server.client().get(me.avatar);
        assert.equal(picture.status, 200);
        assert.equal(picture.headers.get('content-type'), 'image/png');
      } finally {
        await server.close();
      }
    });

    test('--from-env reads Label Studio\'s DJANGO_DB and POSTGRE_* as the source only', { skip: skipReason('postgres') }, async () => {
      const { source } = await fixtureSource('postgres');
      const url = new URL(source.from);
      const env = { DJANGO_DB: 'default', POSTGRE_NAME: url.pathname.slice(1), POSTGRE_USER: 'postgres', POSTGRE_HOST: url.searchParams.get('host') ?? '', POSTGRE_PORT: url.port || '5432' };
      const target = await importTarget(kind);
      const run = runImport(target, ['--from-env', '--media-dir', source.mediaDir, '--secret-key-file', source.envFile], env);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.report?.source.engine, 'postgres');
      assert.equal(run.report?.counts.users.imported, 7);
      // The same variables name this product's database on other commands: here they never make it the target.
      assert.equal(runImport(target, ['--from-env'], env).report?.counts.users.alreadyImported, 7);
    });

    test('a re-run brings what is new and what was revoked in Label Studio since', async () => {
      const { source, fixture } = await fixtureSource('sqlite');
      const target = await importTarget(kind);
      assert.equal(runImport(target, sourceArgs(source)).status, 0);
      const file = source.file ?? '';
      const ls = new SQLite(file);
      ls.exec(`INSERT INTO htx_user (id, password, is_superuser, username, email, first_name, last_name, is_staff, is_active, date_joined, activity_at, phone, avatar)
        VALUES (8, '!x', 0, 'late', 'late@company.test', '', '', 0, 1, '2025-03-01 00:00:00', '2025-03-01 00:00:00', '', '');
        INSERT INTO organizations_organizationmember (id, created_at, updated_at, organization_id, user_id) VALUES (10, '2025-03-01 00:00:00', '2025-03-01 00:00:00', 1, 8);
        INSERT INTO task_completion (id, result, was_cancelled, ground_truth, created_at, updated_at, task_id, result_count, completed_by_id, project_id) VALUES (12, '[]', 0, 0, '2025-03-01 00:00:00', '2025-03-01 00:00:00', 2, 0, 8, 1);
        INSERT INTO token_blacklist_blacklistedtoken (blacklisted_at, token_id) VALUES ('2025-03-02 00:00:00', 1);
        UPDATE organizations_organizationmember SET deleted_at = '2025-03-03 00:00:00' WHERE id = 4;
        UPDATE htx_user SET is_active = 0 WHERE id = 7;
        UPDATE authtoken_token SET key = 'renewed0123456789abcdef0123456789abcdef0' WHERE user_id = 1;`);
      ls.close();
      const again = runImport(target, sourceArgs(source));
      assert.equal(again.status, 0, again.stderr);
      const c = again.report?.counts;
      assert.deepEqual(
        [c?.users.imported, c?.memberships.imported, c?.annotations.imported, c?.personalAccessTokens.revokedSince, c?.memberships.removedSince, c?.users.deactivatedSince, c?.legacyTokens.replacedSince],
        [1, 1, 1, 1, 1, 1, 1],
      );
      const server = await serveTarget(target);
      try {
        const api = server.client();
        const [ownersPat] = fixture.pats.live;
        assert.equal((await api.post('/api/token/refresh/', { json: { refresh: ownersPat?.token } })).status, 401, 'blacklisted in Label Studio since');
        assert.equal((await api.get('/api/current-user/whoami', { headers: tokenAuth(fixture.users[0]?.key ?? '') })).status, 401, 'the old key stops');
        assert.equal((await api.get('/api/current-user/whoami', { headers: tokenAuth('renewed0123456789abcdef0123456789abcdef0') })).status, 200);
        assert.equal((await api.get('/api/current-user/whoami', { headers: tokenAuth('tok-1234567') })).status, 403, 'removed since');
        assert.equal((await server.ctx.repos.users.findById(7))?.is_active, false);
        const access = await api.post('/api/token/refresh/', { json: { refresh: fixture.pats.live[1]?.token } });
        assert.equal((await api.get('/api/current-user/whoami', { headers: bearerAuth((access.body as { access: string }).access) })).status, 200);
      } finally {
        await server.close();
      }
    });
  });
}
