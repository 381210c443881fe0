import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { DATABASE_KINDS, freshDatabaseUrl, skipReason, tempDir } from '../helpers/databases.js';
import { HttpClient, bearerAuth, tokenAuth } from '../helpers/http-client.js';
import { freePort, startServerProcess } from '../helpers/server-process.js';


type Json = Record<string, unknown>;

for (const kind of DATABASE_KINDS) {
  describe(`end to end: CLI, API and forms on a started server [${kind}]`, { skip: skipReason(kind) }, () => {
    test('bootstrap → token → user with password → login → PAT → project, annotation → memberships', async () => {
      const dataDir = tempDir();
      const env: Record<string, string> = kind === 'postgres' ? { DATABASE_URL: await freshDatabaseUrl(kind, dataDir) } : {};
      const init = runCli(
        ['init', '--data-dir', dataDir, '--username', 'owner@example.com', '--password', 'owner-pass-1', '--enable-legacy-api-token'],
        env,
      );
      assert.equal(init.status, 0, init.stderr);
      const info = runCli(['user', '--data-dir', dataDir, '--username', 'owner@example.com'], env);
      const token = info.stdout.trimEnd().split('\n').at(-1)?.match(/'token': '([0-9a-f]{40})'/)?.[1];
      assert.ok(token, info.stdout);

      const port = await freePort();
      const server = await startServerProcess(['--data-dir', dataDir, '-p', String(port), '--internal-host', '127.0.0.1'], env);
      try {
        const api = new HttpClient(`http://127.0.0.1:${port}`);
        const owner = tokenAuth(token);
        const created = await api.post('/api/users/', {
          headers: owner,
          json: { email: 'Worker@Example.com', username: 'worker', first_name: 'Wanda', password: 'worker-pass-1' },
        });
        assert.equal(created.status, 201, created.text);
        const worker = created.body as Json;

        const browser = api.fresh();
        const login = await browser.login('worker@example.com', 'worker-pass-1');
        assert.equal(login.status, 302, login.text);
        assert.equal(((await browser.get('/api/current-user/whoami')).body as Json).email, 'worker@example.com');

        const pat = await browser.post('/api/token/', { raw: '' });
        assert.equal(pat.status, 201, pat.text);
        const refresh = (pat.body as Json).token as string;
        const refreshed = await api.post('/api/token/refresh/', { json: { refresh } });
        assert.equal(refreshed.status, 200);
        const access = (refreshed.body as Json).access as string;
        const me = await api.get('/api/current-user/whoami', { headers: bearerAuth(access) });
        assert.equal((me.body as Json).id, worker.id);
        const rotated = await api.post('/api/token/rotate/', { headers: bearerAuth(access), json: { refresh } });
        assert.equal(rotated.status, 200, rotated.text);
        const newRefresh = (rotated.body as Json).refresh as string;
        assert.equal((await api.post('/api/token/refresh/', { json: { refresh } })).status, 401);
        assert.equal((await api.post('/api/token/blacklist/', { json: { refresh: newRefresh } })).status, 204);
        assert.equal((await api.post('/api/token/refresh/', { json: { refresh: newRefresh } })).status, 401);

        const project = await api.post('/api/projects/', { headers: owner, json: { title: 'Owner project' } });
        assert.equal(project.status, 201, project.text);
        const projectId = (project.body as Json).id as number;
        const imported = await api.post(`/api/projects/${projectId}/import?return_task_ids=true`, {
          headers: owner,
          json: [{ data: { text: 'first' } }, { data: { text: 'second' } }],
        });
        assert.equal(imported.status, 201, imported.text);
        const taskIds = (imported.body as Json).task_ids as number[];
        assert.equal(taskIds.length, 2);
        const annotation = await browser.post(`/api/tasks/${taskIds[0]}/annotations/`, {
          json: { result: [{ from_name: 'label', to_name: 'text', type: 'choices', value: { choices: ['pos'] } }] },
        });
        assert.equal(annotation.status, 201, annotation.text);
        assert.equal((annotation.body as Json).completed_by, worker.id);

        const orgId = ((await api.get('/api/current-user/whoami', { headers: owner })).body as Json).active_organization;
        const members = await api.get(`/api/organizations/${orgId}/memberships?contributed_to_projects=true&page=1&page_size=100`, {
          headers: owner,
        });
        assert.equal(members.status, 200, members.text);
        const results = (members.body as { count: number; results: Json[] }).results;
        const byEmail = new Map(results.map((m) => [(m.user as Json).email, m]));
        assert.deepEqual(byEmail.get('owner@example.com')?.created_projects, [{ id: projectId, title: 'Owner project' }]);
        assert.deepEqual(byEmail.get('worker@example.com')?.contributed_to_projects, [{ id: projectId, title: 'Owner project' }]);
        assert.deepEqual(byEmail.get('worker@example.com')?.created_projects, []);
      } finally {
        assert.equal(await server.stop(), 0);
      }
    });
  });
}
