import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertError } from '../helpers/envelope.js';
import { buildOrganization, buildMember, buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpClient } from '../helpers/http-client.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';

type Page<T> = { count: number; next: string | null; previous: string | null; results: T[] };
type Project = { id: number; title: string; organization: number; created_by: { id: number } | null; task_number: number };


for (const kind of DATABASE_KINDS) {
  describe(`projects, tasks and annotations over HTTP [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let http: HttpClient;
    let owner: TestUser;
    let annotator: TestUser;
    let outsider: TestUser;
    let orgId: number;
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });
    const createProject = async (user: TestUser, title: string): Promise<Project> => {
      const res = await http.post('/api/projects/', { ...as(user), json: { title } });
      assert.equal(res.status, 201, res.text);
      return res.body as Project;
    };

    before(async () => {
      server = fixture.server;
      http = server.client();
      owner = await buildOwner(server.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      annotator = await buildMember(server.ctx, orgId, { role: 'AN', firstName: 'Ann' });
      outsider = (await buildOrganization(server.ctx, { email: 'outsider@example.com', password: 'outsider-pass-1', title: 'Elsewhere' })).owner;
    });

    test('create a project: 201 with Label Studio field order, creator and organization', async () => {
      const res = await http.post('/api/projects/', {
        ...as(annotator),
        json: { title: 'SDK project', description: 'created via the SDK', label_config: '<View><Text name="t" value="$text"/></View>', color: '#fff' },
      });
      assert.equal(res.status, 201, res.text);
      const body = res.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).slice(0, 7), ['id', 'title', 'description', 'label_config', 'organization', 'created_by', 'created_at']);
      assert.equal(body.title, 'SDK project');
      assert.equal(body.organization, orgId);
      assert.equal(body.task_number, 0);
      assert.deepEqual(body.created_by, { id: annotator.user.id, first_name: 'Ann', last_name: '', email: annotator.email, avatar: null });
      assert.match(String(body.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      const untitled = await http.post('/api/projects/', { ...as(owner), json: { title: null, label_config: null } });
      assert.equal(untitled.status, 201, untitled.text);
      assert.equal((untitled.body as { title: string }).title, '');
      assert.equal((untitled.body as { label_config: string }).label_config, '<View></View>');
    });

    test('create a project: 401, 400 on bad input, 403 for a pending member', async () => {
      assertError(await http.post('/api/projects/', { json: { title: 'x' } }), 401);
      const long = assertError(await http.post('/api/projects/', { ...as(owner), json: { title: 'x'.repeat(51) } }), 400);
      assert.deepEqual(long.validation_errors, { title: ['Ensure this field has no more than 50 characters.'] });
      const short = assertError(await http.post('/api/projects/', { ...as(owner), json: { title: 'ab' } }), 400);
      assert.deepEqual(short.validation_errors, { title: ['Ensure this field has at least 3 characters.'] });
      const malformed = await http.post('/api/projects/', { ...as(owner), raw: '{"title":', headers: { ...tokenAuth(owner.token), 'content-type': 'application/json' } });
      assertError(malformed, 400);
      assertError(await http.post('/api/projects/', { ...as(owner), json: [{ title: 'list' }] }), 400);
      const pending = await buildMember(server.ctx, orgId, { role: 'NO' });
      assertError(await http.post('/api/projects/', { ...as(pending), json: { title: 'nope' } }), 403);
      assertError(await http.get('/api/projects/', as(pending)), 403);
    });

    test('get a project: other organization and missing → 404, bad id → 404 (as DRF int routes)', async () => {
      const project = await createProject(owner, 'Visible');
      const res = await http.get(`/api/projects/${project.id}/`, as(annotator));
      assert.equal(res.status, 200);
      assert.equal((res.body as Project).title, 'Visible');
      assertError(await http.get(`/api/projects/${project.id}/`, as(outsider)), 404);
      assertError(await http.get('/api/projects/999999/', as(owner)), 404);
      assertError(await http.get('/api/projects/abc/', as(owner)), 404);
      assertError(await http.get(`/api/projects/${project.id}/`), 401);
      assertError(await http.request('PUT', `/api/projects/${project.id}/`, { ...as(owner), json: {} }), 405);
    });

    test('project list: DRF pages of 30, page links, past the end 404 (what ends the SDK iteration)', async () => {
      const before = (await http.get('/api/projects/', as(owner))).body as Page<Project>;
      for (let i = before.count; i < 35; i += 1) await createProject(owner, `Bulk ${i}`);
      const first = await http.get('/api/projects/?page=1', as(owner));
      assert.equal(first.status, 200);
      const page1 = first.body as Page<Project>;
      assert.equal(page1.count, 35);
      assert.equal(page1.results.length, 30);
      assert.equal(page1.next, '/api/projects/?page=2');
      assert.equal(page1.previous, null);
      const ids = page1.results.map((p) => p.id);
      assert.deepEqual([...ids].sort((a, b) => b - a), ids, 'newest first');
      const page2 = (await http.get('/api/projects/?page=2', as(owner))).body as Page<Project>;
      assert.equal(page2.results.length, 5);
      assert.equal(page2.next, null);
      assert.equal(page2.previous, '/api/projects/');
      const sdk = (await http.get('/api/projects/?page=1&page_size=100', as(owner))).body as Page<Project>;
      assert.equal(sdk.results.length, 35);
      assertError(await http.get('/api/projects/?page=2&page_size=100', as(owner)), 404, 'Invalid page.');
      assertError(await http.get('/api/projects/?page=0', as(owner)), 404, 'Invalid page.');
      const small = (await http.get('/api/projects/?page_size=10&page=2', as(owner))).body as Page<Project>;
      assert.equal(small.next, '/api/projects/?page=3&page_size=10');
      assert.equal(small.previous, '/api/projects/?page_size=10');
      const outsiderList = (await http.get('/api/projects/', as(outsider))).body as Page<Project>;
      assert.equal(outsiderList.count, 0, 'page 1 of an empty list is fine');
    });

    test('import tasks: counts, data columns, task ids on request, and bad input', async () => {
      const project = await createProject(owner, 'Import');
      const url = `/api/projects/${project.id}/import`;
      const res = await http.post(`${url}?return_task_ids=true`, {
        ...as(annotator),
        json: [{ data: { text: 'first task' } }, { data: { text: 'second', lang: 'en' }, meta: { source: 'sdk' } }, { text: 'bare object' }],
      });
      assert.equal(res.status, 201, res.text);
      const body = res.body as Record<string, unknown>;
      assert.equal(body.task_count, 3);
      assert.equal(body.annotation_count, 0);
      assert.equal(body.predictions_count, 0);
      assert.deepEqual(body.data_columns, ['text', 'lang']);
      assert.deepEqual(body.file_upload_ids, []);
      assert.equal(typeof body.duration, 'number');
      const taskIds = body.task_ids as number[];
      assert.equal(taskIds.length, 3);
      const withoutIds = (await http.post(url, { ...as(owner), json: [{ data: { text: 'x' } }] })).body as Record<string, unknown>;
      assert.equal('task_ids' in withoutIds, false);

      for (const bad of [{ data: { text: 'not a list' } }, [], [1], [{ data: 'text' }], [{ data: {}, annotations: [{ result: [] }] }]]) {
        assertError(await http.post(url, { ...as(owner), json: bad }), 400);
      }
      assertError(await http.post(url, { ...as(outsider), json: [{ text: 'x' }] }), 404);
      assertError(await http.post(url, { json: [{ text: 'x' }] }), 401);
      const listed = (await http.get(`/api/tasks/?project=${project.id}`, as(owner))).body as { total: number };
      assert.equal(listed.total, 4, 'rejected imports stored nothing');
    });

    test('tasks list: data-manager shape, pages, totals; annotations by the caller only', async () => {
      const project = await createProject(owner, 'Tasks');
      const imported = await http.post(`/api/projects/${project.id}/import?return_task_ids=1`, {
        ...as(owner),
        json: [{ data: { text: 'a' } }, { data: { text: 'b' } }, { data: { text: 'c' } }],
      });
      const [t1, t2] = (imported.body as { task_ids: number[] }).task_ids;
      assert.ok(t1 && t2);
      const result = [{ from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['pos'] } }];
      const made = await http.post(`/api/tasks/${t1}/annotations/`, { ...as(annotator), json: { project: project.id, result, completed_by: owner.user.id } });
      assert.equal(made.status, 201, made.text);
      const annotation = made.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(annotation), ['id', 'task', 'project', 'result', 'completed_by', 'created_at', 'updated_at', 'lead_time', 'was_cancelled', 'ground_truth']);
      assert.equal(annotation.completed_by, annotator.user.id, 'completed_by is always the caller');
      assert.deepEqual(annotation.result, result);
      await http.post(`/api/tasks/${t1}/annotations/`, { ...as(owner), json: { result: [], was_cancelled: true } });

      const list = await http.get(`/api/tasks/?project=${project.id}&fields=all&page=1`, as(owner));
      assert.equal(list.status, 200);
      const page = list.body as { tasks: Array<Record<string, unknown>>; total: number; total_annotations: number; total_predictions: number };
      assert.deepEqual(Object.keys(page), ['tasks', 'total', 'total_annotations', 'total_predictions']);
      assert.equal(page.total, 3);
      assert.equal(page.total_annotations, 1, 'cancelled annotations are not counted');
      assert.deepEqual(page.tasks[0], { ...page.tasks[0], id: t1, data: { text: 'a' }, meta: {}, project: project.id, total_annotations: 1 });
      const second = (await http.get(`/api/tasks/?project=${project.id}&page=2&page_size=2`, as(owner))).body as typeof page;
      assert.equal(second.tasks.length, 1);
      assertError(await http.get(`/api/tasks/?project=${project.id}&page=3&page_size=2`, as(owner)), 404, 'Invalid page.');
      const missing = assertError(await http.get('/api/tasks/', as(owner)), 400);
      assert.ok(missing.validation_errors?.project);
      assertError(await http.get(`/api/tasks/?project=${project.id}`, as(outsider)), 404);
      assertError(await http.get(`/api/tasks/?project=${project.id}`), 401);

      const annotations = await http.get(`/api/tasks/${t1}/annotations/`, as(owner));
      assert.equal(annotations.status, 200);
      assert.ok(Array.isArray(annotations.body));
      assert.equal((annotations.body as unknown[]).length, 2);
      assert.deepEqual((await http.get(`/api/tasks/${t2}/annotations`, as(owner))).body, []);
      assertError(await http.get(`/api/tasks/${t1}/annotations/`, as(outsider)), 404);
      assertError(await http.post(`/api/tasks/${t1}/annotations/`, { ...as(outsider), json: { result: [] } }), 404);
      assertError(await http.post('/api/tasks/999999/annotations/', { ...as(owner), json: { result: [] } }), 404);
      for (const bad of [{ result: { not: 'a list' } }, { result: 'text' }, { result: [], lead_time: 'slow' }]) {
        const env = assertError(await http.post(`/api/tasks/${t2}/annotations/`, { ...as(owner), json: bad }), 400);
        assert.ok(env.validation_errors);
      }
      assertError(await http.post(`/api/tasks/${t2}/annotations/`, { json: { result: [] } }), 401);
    });
  });
}
