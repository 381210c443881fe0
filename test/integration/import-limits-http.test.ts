import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { before, describe, test } from 'node:test';
import { diffSnapshots, takeSnapshot } from '../helpers/data-snapshot.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildOwner, buildProject, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { useObservedServer } from '../helpers/observed-server.js';
import type { TestServer } from '../helpers/test-server.js';

/** A JSON array of `count` tasks of about `taskBytes` bytes each (the text field pads them). */
function tasksBody(count: number, taskBytes: number): string {
  const task = (i: number) => {
    const head = `{"data":{"id":${i},"text":"`;
    return `${head}${'x'.repeat(Math.max(0, taskBytes - head.length - 3))}"}}`;
  };
  return `[${Array.from({ length: count }, (_, i) => task(i)).join(',')}]`;
}

// The documented limits, spelled out here rather than imported: a changed constant must fail these tests.
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
const IMPORT_MAX_TASKS = 20_000;

/** POSTs a body in chunks with no Content-Length (Transfer-Encoding: chunked), so no size is known up front. */
function postChunked(url: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    // The server may answer and close before it has read everything: once its answer is here, a broken pipe is expected.
    req.on('response', () => req.removeListener('error', reject).on('error', () => undefined));
    req.on('error', reject);
    for (let offset = 0; offset < body.length; offset += 256 * 1024) req.write(body.subarray(offset, offset + 256 * 1024));
    req.end();
  });
}

for (const kind of DATABASE_KINDS) {
  describe(`task import limits [${kind}]`, { skip: skipReason(kind) }, () => {
    // What the server did while an import's handler ran (its body already read): the /health answers it sent meanwhile.
    const importsInHandler = new Set<string>();
    const healthAnsweredDuringImport: number[] = [];
    const fixture = useObservedServer(kind, {}, (app) => {
      app.addHook('preHandler', async (request) => {
        if (/^\/api\/projects\/\d+\/import/.test(request.url)) importsInHandler.add(request.id);
      });
      app.addHook('onSend', async (request) => {
        importsInHandler.delete(request.id);
      });
      app.addHook('onResponse', async (request, reply) => {
        if (request.url === '/health' && importsInHandler.size > 0) healthAnsweredDuringImport.push(reply.statusCode);
      });
    });
    let server: TestServer;
    let owner: TestUser;
    let projectId: number;
    const importBody = (body: string) =>
      server.client().post(`/api/projects/${projectId}/import`, {
        headers: { ...tokenAuth(owner.token), 'content-type': 'application/json' },
        raw: body,
      });
    const taskCount = async () => (await server.ctx.repos.projects.countTasks(projectId)).tasks;
    /** Runs `refused` and asserts that no table changed. */
    const storesNothing = async (refused: () => Promise<void>): Promise<void> => {
      const before = await takeSnapshot(server.ctx.database.db, kind);
      await refused();
      assert.deepEqual(diffSnapshots(before, await takeSnapshot(server.ctx.database.db, kind)), [], 'nothing stored');
    };

    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      projectId = await buildProject(server.ctx, owner.user.active_organization_id ?? 0, owner.user.id, 'Imports');
    });

    test('a body over 10 MiB: 413 envelope, nothing stored', async () => {
      // Few tasks, so the size alone is the reason.
      const body = tasksBody(5_000, Math.ceil((IMPORT_MAX_BYTES + 4096) / 5_000));
      assert.ok(Buffer.byteLength(body) > IMPORT_MAX_BYTES);
      await storesNothing(async () => {
        const env = assertError(await importBody(body), 413);
        assert.equal(env.code, 'request.too_large');
      });
    });

    test('a body over 10 MiB sent chunked, with no Content-Length: 413 envelope, nothing stored', async () => {
      const body = Buffer.from(tasksBody(5_000, Math.ceil((IMPORT_MAX_BYTES + 4096) / 5_000)));
      await storesNothing(async () => {
        const res = await postChunked(new URL(`/api/projects/${projectId}/import`, server.baseUrl), { ...tokenAuth(owner.token), 'content-type': 'application/json' }, body);
        assert.equal(res.status, 413, res.text.slice(0, 300));
        assert.equal((JSON.parse(res.text) as { code: string }).code, 'request.too_large');
      });
    });

    test('more than 20,000 tasks: 400 envelope naming the limit, nothing stored', async () => {
      const body = tasksBody(IMPORT_MAX_TASKS + 1, 30);
      assert.ok(Buffer.byteLength(body) < IMPORT_MAX_BYTES, 'small enough that the count alone is the reason');
      await storesNothing(async () => {
        const res = await importBody(body);
        assertError(res, 400);
        assert.match(res.text, /20[,. ]?000/, 'the message names the limit');
      });
    });

    test('a 19,000-task import of about 9.5 MB is stored whole, and /health answers while it runs', async () => {
      const before = await taskCount();
      const body = tasksBody(19_000, 500);
      assert.ok(Buffer.byteLength(body) > 9 * 1024 * 1024 && Buffer.byteLength(body) < IMPORT_MAX_BYTES);

      healthAnsweredDuringImport.length = 0;
      let finished = false;
      const importing = importBody(body).finally(() => {
        finished = true;
      });
      // Ask /health over and over until the import answers; the server's hooks note which answers left while the
      // import's handler (after the body was read) was still at work.
      const statuses: number[] = [];
      while (!finished) {
        const health = await fetch(new URL('/health', server.baseUrl));
        await health.arrayBuffer();
        statuses.push(health.status);
      }
      const res = await importing;
      assert.equal(res.status, 201, res.text.slice(0, 500));
      assert.equal((res.body as { task_count: number }).task_count, 19_000);
      assert.equal(await taskCount(), before + 19_000);
      assert.ok(healthAnsweredDuringImport.length > 0, '/health was answered while the import handler ran');
      assert.deepEqual([...statuses, ...healthAnsweredDuringImport].filter((status) => status !== 200), [], 'every /health answer was 200');
    });

    test('exactly 20,000 tasks are accepted', async () => {
      const before = await taskCount();
      const res = await importBody(tasksBody(IMPORT_MAX_TASKS, 30));
      assert.equal(res.status, 201, res.text.slice(0, 500));
      assert.equal((res.body as { task_count: number }).task_count, IMPORT_MAX_TASKS);
      assert.equal(await taskCount(), before + IMPORT_MAX_TASKS);
    });
  });
}
