import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { diffSnapshots, takeSnapshot } from '../helpers/data-snapshot.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { assertEnvelope, assertError, type UserBody } from '../helpers/envelope.js';
import { buildMember, buildOwner, buildProject, type TestUser } from '../helpers/factories.js';
import { tokenAuth, type HttpResponse, type RequestOptions } from '../helpers/http-client.js';
import { solidPng } from '../helpers/png.js';
import { useTestServer, type TestServer } from '../helpers/test-server.js';
import { NO_BODY } from '../helpers/tokens.js';

/** The three body encodings Label Studio's framework parses on every route. */
const FORMATS = ['json', 'form', 'multipart'] as const;
type Format = (typeof FORMATS)[number];
type Fields = Record<string, string | boolean>;

/** The same fields in one encoding; form and multipart carry text, as a browser or `curl -F` sends them. */
function encoded(format: Format, fields: Fields): RequestOptions {
  if (format === 'json') return { json: fields };
  const text = Object.entries(fields).map(([key, value]) => [key, String(value)] as const);
  if (format === 'form') return { form: Object.fromEntries(text) };
  const multipart = new FormData();
  for (const [key, value] of text) multipart.append(key, value);
  return { multipart };
}

/** `levels` objects nested inside each other: `{"n":{"n":…{}}}`. */
const nested = (levels: number): string => '{"n":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);

const CRLF = '\r\n';
const BOUNDARY = 'RequestBodiesBoundary42';
const avatarPart = (boundary: string): string =>
  `--${boundary}${CRLF}Content-Disposition: form-data; name="avatar"; filename="a.png"${CRLF}Content-Type: image/png${CRLF}${CRLF}` +
  `${solidPng(4, 4).toString('latin1')}${CRLF}--${boundary}--${CRLF}`;

for (const kind of DATABASE_KINDS) {
  describe(`request bodies: JSON, form and multipart alike, and refused bodies [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let server: TestServer;
    let owner: TestUser;
    let orgId: number;
    const as = (user: TestUser) => ({ headers: tokenAuth(user.token) });
    /** Runs `refused` and asserts that no table changed (activity stamps and sessions aside). */
    const storesNothing = async (refused: () => Promise<void>): Promise<void> => {
      const before = await takeSnapshot(server.ctx.database.db, kind);
      await refused();
      assert.deepEqual(diffSnapshots(before, await takeSnapshot(server.ctx.database.db, kind)), [], 'nothing stored');
    };
    const usersWithEmail = async (email: string): Promise<number> =>
      (await server.ctx.database.db.selectFrom('users').select('id').where('email', '=', email).execute()).length;

    before(async () => {
      server = fixture.server;
      owner = await buildOwner(server.ctx);
      orgId = owner.user.active_organization_id ?? 0;
    });

    describe('every encoding, one outcome', () => {
      for (const format of FORMATS) {
        test(`${format}: POST /api/token/blacklist/ revokes the token`, async () => {
          const member = await buildMember(server.ctx, orgId);
          const created = await server.client().post('/api/token/', { ...as(member), ...NO_BODY });
          assert.equal(created.status, 201, created.text);
          const pat = (created.body as { token: string }).token;
          const res = await server.client().post('/api/token/blacklist/', encoded(format, { refresh: pat }));
          assert.equal(res.status, 204, res.text);
          assertError(await server.client().post('/api/token/refresh/', { json: { refresh: pat } }), 401, /blacklisted/);
          assert.deepEqual((await server.client().get('/api/token/', as(member))).body, []);
        });

        test(`${format}: POST /api/users/ creates the user with every field, and the password works`, async () => {
          const email = `created-${format}-${kind}@example.com`;
          const fields = {
            email,
            username: `created-${format}`,
            first_name: 'Multi',
            last_name: 'Part',
            phone: '+1 555 0100',
            allow_newsletters: true,
            password: 'created-pass-1',
          };
          const res = await server.client().post('/api/users/', { ...as(owner), ...encoded(format, fields) });
          assert.equal(res.status, 201, res.text);
          const body = res.body as UserBody;
          assert.deepEqual(
            [body.email, body.username, body.first_name, body.last_name, body.phone, body.allow_newsletters],
            [email, fields.username, 'Multi', 'Part', '+1 555 0100', true],
          );
          const stored = await server.ctx.repos.users.findById(body.id);
          assert.equal(stored?.first_name, 'Multi');
          assert.equal(stored?.allow_newsletters, true);
          assert.equal((await server.client().login(email, 'created-pass-1')).status, 302, 'the password was stored');
        });

        test(`${format}: PATCH /api/users/{id}/ changes the fields sent`, async () => {
          const member = await buildMember(server.ctx, orgId, { firstName: 'Old', lastName: 'Name' });
          const res = await server.client().patch(`/api/users/${member.user.id}/`, {
            ...as(owner),
            ...encoded(format, { first_name: `New-${format}`, allow_newsletters: true }),
          });
          assert.equal(res.status, 200, res.text);
          assert.equal((res.body as UserBody).first_name, `New-${format}`);
          const stored = await server.ctx.repos.users.findById(member.user.id);
          assert.equal(stored?.first_name, `New-${format}`, 'the change is stored, not dropped');
          assert.equal(stored?.last_name, 'Name', 'fields not sent stay');
          assert.equal(stored?.allow_newsletters, true);
        });

        test(`${format}: PATCH /api/current-user stores allow_newsletters as a boolean`, async () => {
          const member = await buildMember(server.ctx, orgId);
          for (const wanted of [true, false]) {
            const res = await server.client().patch('/api/current-user', { ...as(member), ...encoded(format, { allow_newsletters: wanted }) });
            assert.equal(res.status, 200, res.text);
            assert.equal((res.body as UserBody).allow_newsletters, wanted);
            assert.equal((await server.ctx.repos.users.findById(member.user.id))?.allow_newsletters, wanted);
          }
        });
      }

      test('a multipart login form carries its CSRF field and logs in; without the field it is refused', async () => {
        const member = await buildMember(server.ctx, orgId);
        const csrfSource = server.client();
        await csrfSource.get('/user/login/');
        const csrf = csrfSource.cookies.get('csrftoken') ?? '';
        assert.ok(csrf);
        // The cookie goes as a header of our own, so the client adds no X-CSRFToken: only the form field can carry it.
        const post = (fields: Fields) => {
          const { multipart } = encoded('multipart', fields);
          const c = server.client();
          return { c, res: c.post('/user/login/', { headers: { cookie: `csrftoken=${csrf}` }, multipart }) };
        };
        const refused = post({ email: member.email, password: member.password });
        assert.equal((await refused.res).status, 403);
        assert.equal(refused.c.cookies.has('sessionid'), false);
        const accepted = post({ email: member.email, password: member.password, csrfmiddlewaretoken: csrf });
        const res = await accepted.res;
        assert.equal(res.status, 302, res.text);
        assert.ok(accepted.c.cookies.has('sessionid'));
        assert.equal(((await accepted.c.get('/api/current-user/whoami')).body as UserBody).email, member.email);
      });
    });

    describe('JSON nested more than 100 levels', () => {
      let projectId: number;
      let taskId: number;
      const taskCount = async () => (await server.ctx.repos.projects.countTasks(projectId)).tasks;
      const importRaw = (body: string) =>
        server.client().post(`/api/projects/${projectId}/import?return_task_ids=true`, {
          headers: { ...tokenAuth(owner.token), 'content-type': 'application/json' },
          raw: body,
        });
      const annotateRaw = (body: string) =>
        server.client().post(`/api/tasks/${taskId}/annotations/`, { headers: { ...tokenAuth(owner.token), 'content-type': 'application/json' }, raw: body });

      before(async () => {
        projectId = await buildProject(server.ctx, orgId, owner.user.id, 'Deep JSON');
        const res = await importRaw('[{"data": {"text": "first"}}]');
        assert.equal(res.status, 201, res.text);
        taskId = (res.body as { task_ids: number[] }).task_ids[0] ?? 0;
      });

      test('in task data and meta: 400 envelope and no task stored; 100 levels in all is accepted', async () => {
        // The body's array and task object are two levels, `data`/`meta` a third.
        const refused = [
          `[{"data": {"text": "x", "deep": ${nested(98)}}}]`,
          `[{"data": {"text": "x"}, "meta": {"deep": ${nested(98)}}}]`,
          `[{"data": {"text": "x"}}, ${'['.repeat(20_000)}${']'.repeat(20_000)}]`,
        ];
        await storesNothing(async () => {
          for (const body of refused) {
            const env = assertError(await importRaw(body), 400);
            assert.equal(env.code, 'request.malformed', env.detail);
          }
        });
        const before = await taskCount();
        const atLimit = await importRaw(`[{"data": {"text": "x", "deep": ${nested(97)}}}]`);
        assert.equal(atLimit.status, 201, atLimit.text);
        assert.equal(await taskCount(), before + 1);
      });

      test('in an annotation result: 400 envelope and no annotation stored', async () => {
        await storesNothing(async () => {
          // The body object, `result` and its region are three levels.
          const env = assertError(await annotateRaw(`{"result": [{"value": ${nested(98)}}]}`), 400);
          assert.equal(env.code, 'request.malformed');
        });
        const atLimit = await annotateRaw(`{"result": [{"value": ${nested(97)}}]}`);
        assert.equal(atLimit.status, 201, atLimit.text);
      });
    });

    describe('NUL characters', () => {
      const assertNulRefused = (res: HttpResponse, what: string) => {
        assert.equal(res.status, 400, `${what}: ${res.text.slice(0, 300)}`);
        assertEnvelope(res.body, 400);
      };

      test('in a query: 400 envelope', async () => {
        for (const path of [`/api/organizations/${orgId}/memberships?search=%00`, '/api/users/?search=a%00b', '/api/projects/?page=1%00']) {
          assertNulRefused(await server.client().get(path, as(owner)), path);
        }
      });

      test('in a body field, in every encoding: 400 envelope and nothing stored', async () => {
        const member = await buildMember(server.ctx, orgId, { firstName: 'Clean' });
        await storesNothing(async () => {
          for (const format of FORMATS) {
            const patched = await server.client().patch('/api/current-user', { ...as(member), ...encoded(format, { first_name: 'Nul\u0000led' }) });
            assertNulRefused(patched, `PATCH ${format}`);
            const created = await server.client().post('/api/users/', {
              ...as(owner),
              ...encoded(format, { email: `nul-${format}@example.com`, username: 'nul\u0000user' }),
            });
            assertNulRefused(created, `POST /api/users/ ${format}`);
          }
        });
      });

      test('in a sign-up or login form field: 400 envelope, no account, no session', async () => {
        const c = server.client();
        await c.get('/user/signup/');
        const csrf = c.cookies.get('csrftoken') ?? '';
        await storesNothing(async () => {
          const signup = await c.post('/user/signup/', { form: { email: 'nul\u0000signup@example.com', password: 'signup-pass-1', csrfmiddlewaretoken: csrf } });
          assertNulRefused(signup, 'sign-up e-mail');
          const signupPassword = await c.post('/user/signup/', { form: { email: 'nulpass@example.com', password: 'signup\u0000pass-1', csrfmiddlewaretoken: csrf } });
          assertNulRefused(signupPassword, 'sign-up password');
          const login = await c.post('/user/login/', { form: { email: owner.email, password: `${owner.password}\u0000`, csrfmiddlewaretoken: csrf } });
          assertNulRefused(login, 'login password');
        });
        assert.equal(c.cookies.has('sessionid'), false);
      });
    });

    describe('malformed multipart on the avatar upload', () => {
      let member: TestUser;
      let avatar: string | null | undefined;
      const upload = (contentType: string, body: string) =>
        server.client().post(`/api/users/${member.user.id}/avatar/`, {
          headers: { ...tokenAuth(member.token), 'content-type': contentType },
          raw: Buffer.from(body, 'latin1'),
        });

      before(async () => {
        member = await buildMember(server.ctx, orgId);
        // An avatar to keep: a body misread as "no file" would clear it.
        const ok = await upload(`multipart/form-data; boundary=${BOUNDARY}`, avatarPart(BOUNDARY));
        assert.equal(ok.status, 200, ok.text);
        avatar = (await server.ctx.repos.users.findById(member.user.id))?.avatar;
        assert.ok(avatar);
      });

      const whole = avatarPart(BOUNDARY);
      const cases: Array<[string, string, string]> = [
        ['no boundary', 'multipart/form-data', whole],
        ['a wrong boundary', 'multipart/form-data; boundary=SomeOtherBoundary', whole],
        ['a truncated body', `multipart/form-data; boundary=${BOUNDARY}`, whole.slice(0, Math.floor(whole.length / 2))],
        ['a body cut before its closing delimiter', `multipart/form-data; boundary=${BOUNDARY}`, whole.slice(0, -`--${BOUNDARY}--${CRLF}`.length)],
      ];
      for (const [what, contentType, body] of cases) {
        test(`${what}: 400 envelope, the avatar unchanged`, async () => {
          await storesNothing(async () => {
            assertError(await upload(contentType, body), 400);
          });
          assert.equal((await server.ctx.repos.users.findById(member.user.id))?.avatar, avatar);
        });
      }
    });

    describe('the same e-mail at the same time', () => {
      const CONCURRENT = 8;

      test('POST /api/users/: exactly one 201, the others 400 user.email_taken', async () => {
        const email = `race-api-${kind}@example.com`;
        // No password: hashing one would spread the requests out, and they are to reach the database together.
        const results = await Promise.all(
          Array.from({ length: CONCURRENT }, (_, i) => server.client().post('/api/users/', { ...as(owner), json: { email, username: `race${i}` } })),
        );
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [201, ...Array<number>(CONCURRENT - 1).fill(400)], results.map((r) => r.text).join('\n'));
        for (const res of results.filter((r) => r.status === 400)) {
          const env = assertEnvelope(res.body, 400);
          assert.equal(env.code, 'user.email_taken');
          assert.deepEqual(env.validation_errors, { email: ['user with this email address already exists.'] });
        }
        assert.equal(await usersWithEmail(email), 1);
      });

      test('web sign-up: one 302, the others see the form again with an error, never a 500', async () => {
        const email = `race-web-${kind}@example.com`;
        const clients = Array.from({ length: CONCURRENT }, () => server.client());
        await Promise.all(clients.map((c) => c.get('/user/signup/')));
        const results = await Promise.all(
          clients.map((c) => c.post('/user/signup/', { form: { email, password: 'race-web-pass-1', csrfmiddlewaretoken: c.cookies.get('csrftoken') ?? '' } })),
        );
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [...Array<number>(CONCURRENT - 1).fill(200), 302], results.map((r) => r.text.slice(0, 200)).join('\n'));
        for (const res of results.filter((r) => r.status === 200)) {
          assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
          assert.match(res.text, /already exists/i);
        }
        assert.equal(await usersWithEmail(email), 1);
      });
    });
  });
}
