import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { bearerAuth, tokenAuth, type HttpClient } from '../helpers/http-client.js';
import type { Fixture } from '../helpers/label-studio-fixture.js';
import { fileState, fixtureSource, importTarget, runImport, serveTarget, sourceArgs, type ImportTarget, type LabelStudioSource, type RunningServer } from '../helpers/label-studio-import.js';

const LEGACY_OFF = 'Authentication token no longer valid: legacy token authentication has been disabled for this organization';

for (const targetKind of DATABASE_KINDS) {
  for (const sourceEngine of DATABASE_KINDS) {
    const skip = skipReason(targetKind) || skipReason(sourceEngine);
    describe(`import-label-studio: a Label Studio database on ${sourceEngine} into ${targetKind}, then over HTTP`, { skip }, () => {
      let source: LabelStudioSource;
      let fixture: Fixture;
      let target: ImportTarget;
      let server: RunningServer;
      let client: HttpClient;
      const user = (id: number) => {
        const found = fixture.users.find((u) => u.id === id);
        assert.ok(found, `fixture user ${id}`);
        return found;
      };

      before(async () => {
        ({ source, fixture } = await fixtureSource(sourceEngine));
        target = await importTarget(targetKind);
        const before = source.file ? fileState(source.file) : undefined;
        const run = runImport(target, sourceArgs(source));
        assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
        const report = run.report;
        assert.ok(report);
        assert.equal(report.outcome, 'imported');
        assert.deepEqual(
          [report.counts.users.imported, report.counts.organizations.imported, report.counts.memberships.imported, report.counts.memberships.removed],
          [fixture.users.length, 2, 8, 1],
        );
        assert.deepEqual([report.counts.projects.imported, report.counts.tasks.imported, report.counts.annotations.imported], [fixture.counts.projects, fixture.counts.tasks, fixture.counts.annotations]);
        assert.deepEqual(report.counts.personalAccessTokens, { kept: 3, blacklisted: 1, notCarried: 0, revokedSince: 0, rekeyed: 0 });
        assert.deepEqual(report.counts.avatars, { copied: 2, missing: 1, rejected: 1 });
        assert.equal(report.secretKey.given, true);
        if (source.file && before) assert.deepEqual(fileState(source.file), before, 'the source file and its folder are exactly as they were');
        server = await serveTarget(target);
        client = server.client();
      });
      after(async () => server?.close());

      test('every user logs in with their Label Studio password; the Django hash becomes argon2id', async () => {
        for (const id of [1, 2, 5, 7]) {
          const login = await client.fresh().login(user(id).email, user(id).password ?? '');
          assert.equal(login.status, 302, `user ${id}: ${login.text.slice(0, 200)}`);
          const hash = await server.ctx.repos.users.passwordHash(id);
          assert.match(hash ?? '', /^\$argon2id\$/, `user ${id}'s hash upgraded at login`);
        }
        // A wrong password, the user without one, the deactivated one and the removed member stay out (the form again).
        for (const [id, password] of [[2, 'not-it'], [4, 'x'], [6, user(6).password], [3, user(3).password]] as const) {
          const web = client.fresh();
          const refused = await web.login(user(id).email, password ?? '');
          assert.equal(refused.status, 200, `user ${id}`);
          assert.equal(web.cookies.has('sessionid'), false, `user ${id} has no session`);
        }
      });

      test('legacy tokens keep working where the organization allows them, stored sealed', async () => {
        for (const id of [1, 2, 4]) {
          const me = await client.get('/api/current-user/whoami', { headers: tokenAuth(user(id).key) });
          assert.equal(me.status, 200, `user ${id}`);
          assert.equal((me.body as { id: number }).id, id, 'ids are kept');
        }
        // Organization 2 had no settings row: the defaults of that Label Studio version (legacy keys off) apply.
        const second = await client.get('/api/current-user/whoami', { headers: tokenAuth(user(5).key) });
        assert.equal(second.status, 401);
        assert.match(second.text, new RegExp(LEGACY_OFF));
        const rows = await server.ctx.database.db.selectFrom('legacy_tokens').select(['lookup_hash', 'ciphertext']).execute();
        for (const row of rows) assert.ok(!row.ciphertext.includes(user(1).key) && !row.lookup_hash.includes(user(1).key), 'no key in the clear');
      });

      test('PATs keep refreshing; the blacklisted one stays refused; listed and rotatable', async () => {
        for (const { userId, token } of fixture.pats.live) {
          const refreshed = await client.post('/api/token/refresh/', { json: { refresh: token } });
          assert.equal(refreshed.status, 200, `user ${userId}: ${refreshed.text}`);
          const me = await client.get('/api/current-user/whoami', { headers: bearerAuth((refreshed.body as { access: string }).access) });
          assert.equal((me.body as { id: number }).id, userId);
        }
        for (const { token } of fixture.pats.blacklisted) assert.equal((await client.post('/api/token/refresh/', { json: { refresh: token } })).status, 401);
        const [owners] = fixture.pats.live;
        assert.ok(owners);
        const listed = await client.get('/api/token/', { headers: tokenAuth(user(1).key) });
        assert.deepEqual((listed.body as Array<{ token: string }>).map((t) => t.token), [owners.token.split('.').slice(0, 2).join('.')]);
        // A forged signature on a real header.payload is refused.
        const forged = `${owners.token.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
        assert.equal((await client.post('/api/token/refresh/', { json: { refresh: forged } })).status, 401);
        const rotated = await client.post('/api/token/rotate/', { headers: tokenAuth(user(1).key), json: { refresh: owners.token } });
        assert.equal(rotated.status, 200, rotated.text);
        assert.equal((await client.post('/api/token/refresh/', { json: { refresh: owners.token } })).status, 401, 'rotation retired it');
      });

      test('the removed member stays removed and masked; contribution counts match Label Studio', async () => {
        const web = client.fresh();
        await web.login(user(1).email, user(1).password ?? '');
        const list = await web.get('/api/organizations/1/memberships?page_size=-1');
        assert.equal(list.status, 200);
        const items = (list.body as { results: Array<{ user: { id: number; email: string; first_name: string }; role: string }> }).results;
        const removed = items.find((item) => item.user.id === fixture.removedUserId);
        assert.ok(removed);
        assert.equal(removed.user.first_name, 'Deleted');
        assert.equal((await client.get('/api/current-user/whoami', { headers: tokenAuth(user(fixture.removedUserId).key) })).status, 403, 'their key opens nothing');
        assert.equal(items.find((item) => item.user.id === 1)?.role, 'OW');
        assert.equal(items.find((item) => item.user.id === 2)?.role, 'AN');
        for (const expected of fixture.contributions.filter((c) => c.organization === 1 && c.user !== fixture.removedUserId)) {
          const detail = (await web.get(`/api/organizations/1/memberships/${expected.user}/`)).body as { annotations_count: number; contributed_projects_count: number };
          assert.deepEqual([detail.annotations_count, detail.contributed_projects_count], [expected.annotations, expected.projects], `user ${expected.user}`);
        }
        const stored = await server.ctx.repos.contributions.countsFor(1, fixture.removedUserId);
        assert.deepEqual(stored, { annotations: 2, projects: 1 }, "the removed member's work still counts");
        const second = client.fresh();
        await second.login(user(5).email, user(5).password ?? '');
        const theirs = (await second.get('/api/organizations/2/memberships/5/')).body as { annotations_count: number; role: string };
        assert.deepEqual([theirs.annotations_count, theirs.role], [1, 'OW']);
      });

      test('avatars are served; hotkeys, profile and projects came over with their ids', async () => {
        const me = (await client.get('/api/current-user/whoami', { headers: tokenAuth(user(1).key) })).body as Record<string, unknown>;
        assert.equal(me.first_name, 'Olga');
        assert.equal(me.phone, '+1 555 0100');
        assert.equal(me.email, 'owner@company.test');
        assert.deepEqual(me.custom_hotkeys, { 'annotation:submit': { key: 'ctrl+enter', active: true } });
        const picture = await client.get(String(me.avatar));
        assert.equal(picture.status, 200);
        assert.equal(picture.headers.get('content-type'), 'image/png');
        assert.equal(Buffer.from(await (await fetch(new URL(String(me.avatar), client.baseUrl))).arrayBuffer()).equals(readFileSync(join(source.mediaDir, 'avatars/1c9e4b7a-portrait.png'))), true);
        const missing = (await client.get('/api/users/5/', { headers: tokenAuth(user(1).key) })).body as { avatar: string | null };
        assert.equal(missing.avatar, null);
        const project = await client.get('/api/projects/2', { headers: tokenAuth(user(1).key) });
        assert.equal((project.body as { title: string }).title, 'Texts');
        assert.equal((await client.get('/api/projects/4', { headers: tokenAuth(user(1).key) })).status, 404, 'the soft-deleted project stayed behind');
        const hotkeys = await client.get('/api/current-user/hotkeys/?project=1', { headers: tokenAuth(user(1).key) });
        assert.deepEqual((hotkeys.body as { custom_hotkeys: unknown }).custom_hotkeys, { 'annotation:submit': { key: 'ctrl+s', active: true } });
      });

      test('the old invite links sign people up into their organization; new ids follow the imported ones', async () => {
        for (const [organization, token] of Object.entries(fixture.invites)) {
          const email = `newcomer-${organization}@company.test`;
          assert.equal((await client.fresh().signup(email, 'a-new-password-9', token)).status, 302);
          const created = await server.ctx.repos.users.findByEmail(email);
          assert.equal(created?.active_organization_id, Number(organization));
          assert.ok((created?.id ?? 0) > 7, 'numbered after the imported users');
        }
      });

      test('one activity-log entry records the import', async () => {
        const entries = await server.ctx.database.db.selectFrom('activity_log').selectAll().where('action', '=', 'import.completed').execute();
        assert.equal(entries.length, 1);
        const details = JSON.parse(entries[0]?.details ?? '{}') as { users: { imported: number }; pats: { kept: number } };
        assert.equal(details.users.imported, fixture.users.length);
        assert.equal(details.pats.kept, 3);
      });
    });
  }
}
