import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { hashPassword } from '#src/auth/password-hasher.js';
import { seedPostgres, seedSqlite } from '../../bench/members-seed.js';
import { DATABASE_KINDS, skipReason, type DatabaseKind } from '../helpers/databases.js';
import { buildOwner, type TestUser } from '../helpers/factories.js';
import { tokenAuth } from '../helpers/http-client.js';
import { useTestServer, type ServerFixture } from '../helpers/test-server.js';

/** More members than PostgreSQL's 65,535 bind parameters: one IN list of them all would be refused. */
const MEMBERS = 66_000;
/** No statement may carry more bind parameters than this, however many members a page holds. */
const MAX_PARAMETERS = 1_000;

type Ref = { id: number; title: string };
type Member = { user: { id: number; username: string }; contributed_to_projects: Ref[] | null };
type Page = { count: number; next: string | null; results: Member[] };
type Statement = { sql: string; parameters: readonly unknown[] };

/** Bind parameters a statement carries: `?` on SQLite, `$n` on PostgreSQL. */
const parameterCount = (statement: Statement): number => statement.parameters.length;

/** The statement that reads the page of members (users joined to memberships, ordered, limited). */
function listStatement(statements: readonly Statement[]): Statement {
  const found = statements.filter((s) => /from "organization_members" as "m"/i.test(s.sql) && /order by/i.test(s.sql) && /limit/i.test(s.sql));
  assert.equal(found.length, 1, `expected one list statement, got:\n${statements.map((s) => s.sql).join('\n')}`);
  return found[0] as Statement;
}

/** The plan of a statement as text: SQLite's EXPLAIN QUERY PLAN details, PostgreSQL's EXPLAIN lines. */
async function planOf(fixture: ServerFixture, kind: DatabaseKind, statement: Statement): Promise<string> {
  const prefix = kind === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ';
  const result = await fixture.ctx.database.db.executeQuery(CompiledQuery.raw(prefix + statement.sql, [...statement.parameters]));
  const rows = result.rows as Array<Record<string, unknown>>;
  return rows.map((row) => String(kind === 'sqlite' ? row.detail : row['QUERY PLAN'])).join('\n');
}

/** Whether the plan sorts rows itself (rather than reading an index in order). */
const sorts = (kind: DatabaseKind, plan: string): boolean => (kind === 'sqlite' ? /USE TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/.test(plan) : /\bSort\b/.test(plan));

for (const kind of DATABASE_KINDS) {
  describe(`the members list at ${MEMBERS.toLocaleString('en')} members [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    let owner: TestUser;
    let orgId: number;
    const get = async (path: string) => {
      const log = fixture.ctx.statements;
      assert.ok(log, 'the test context records statements');
      log.length = 0;
      const res = await fixture.client().get(path, { headers: tokenAuth(owner.token) });
      assert.equal(res.status, 200, res.text);
      return { body: res.body as Page, statements: [...log] };
    };
    const members = (query: string) => get(`/api/organizations/${orgId}/memberships?${query}`);

    before(async () => {
      owner = await buildOwner(fixture.ctx);
      orgId = owner.user.active_organization_id ?? 0;
      const url = fixture.ctx.config.database.url;
      const shape = { users: MEMBERS, projects: 200, annotations: 20_000, prefix: 'bulk' };
      const hash = await hashPassword('bulk-password-1');
      if (kind === 'sqlite') await seedSqlite(url.slice('sqlite:'.length), shape, hash, orgId, [], { quiet: true });
      else await seedPostgres(url, shape, hash, orgId, [], { quiet: true });
    });

    test('everyone with their projects (page_size=-1&contributed_to_projects=1): all of them, no statement with a long IN list', async () => {
      const { body, statements } = await members('page_size=-1&contributed_to_projects=1');
      assert.equal(body.count, MEMBERS + 1);
      assert.equal(body.results.length, MEMBERS + 1);
      assert.equal(new Set(body.results.map((m) => m.user.id)).size, MEMBERS + 1, 'every member once');
      assert.ok(body.results.filter((m) => (m.contributed_to_projects ?? []).length > 0).length > 1_000, 'annotators have their projects');
      const widest = Math.max(...statements.map(parameterCount));
      assert.ok(widest <= MAX_PARAMETERS, `a statement carried ${widest} bind parameters`);
      // Each chunk after the first starts where the last one ended, in the order's index: reading every member after
      // that position for each chunk made a streamed list quadratic in its length.
      const chunks = statements.filter((s) => /from "organization_members" as "m"/i.test(s.sql) && /"u"\."username" >/.test(s.sql) && /limit/i.test(s.sql));
      assert.ok(chunks.length > 10, `${chunks.length} keyset chunks`);
      const plan = await planOf(fixture, kind, chunks[Math.floor(chunks.length / 2)] as Statement);
      assert.equal(sorts(kind, plan), false, `a chunk sorts what follows it:\n${plan}`);
      // A range of the index (SQLite `SEARCH … (username>?)`, PostgreSQL an index condition), not the index from its start.
      assert.match(plan, kind === 'sqlite' ? /SEARCH u USING (COVERING )?INDEX users_username_order_idx \(username>\?\)/ : /Index Cond: \(\(username\)::text >=/, plan);
    });

    test("a project's task and annotation counts read indexes, not every annotation", async () => {
      const projectId = Number((await fixture.ctx.database.db.selectFrom('annotations').select('project_id').limit(1).executeTakeFirstOrThrow()).project_id);
      const { statements } = await get(`/api/projects/${projectId}/`);
      const detail = statements.find((s) => /total_annotations_number/.test(s.sql));
      assert.ok(detail, statements.map((s) => s.sql).join('\n'));
      const plan = await planOf(fixture, kind, detail);
      assert.doesNotMatch(plan, kind === 'sqlite' ? /^SCAN a\b/m : /Seq Scan on annotations/, plan);
      assert.match(plan, /annotations_project_idx/, plan);
    });

    test('a page costs the same few statements at page 1, deep in the list and at the end; the count reads the memberships only, once', async () => {
      const first = await members('page_size=30&contributed_to_projects=1');
      assert.equal(first.body.results.length, 30);
      const countStatements = first.statements.filter((s) => /count\(\*\)/i.test(s.sql));
      assert.ok(countStatements.length <= 1, 'at most one count');
      for (const s of countStatements) assert.doesNotMatch(s.sql, /"users"/, 'the count joins no users');
      const again = await members('page_size=30&contributed_to_projects=1&page=2');
      assert.equal(again.statements.filter((s) => /count\(\*\)/i.test(s.sql)).length, 0, 'the count is reused while no membership changed');
      const lastPage = Math.ceil((MEMBERS + 1) / 30);
      const last = await members(`page_size=30&contributed_to_projects=1&page=${lastPage}`);
      assert.equal(last.body.results.length, (MEMBERS + 1) % 30 || 30);
      assert.equal(last.body.next, null);
      const middle = await members(`page_size=30&contributed_to_projects=1&page=${Math.floor(lastPage / 2) - 3}`);
      const sizes = [first, again, last, middle].map((r) => r.statements.filter((s) => !/count\(\*\)/i.test(s.sql)).length);
      assert.equal(new Set(sizes).size, 1, `statements per page (without the count): ${sizes.join(', ')}`);
      assert.ok((sizes[0] ?? 99) <= 6, `a page takes ${sizes[0]} statements`);
      // The last page is read from the end: its offset is small, not the number of members before it.
      const lastList = listStatement(last.statements);
      assert.ok(lastList.parameters.every((p) => typeof p !== 'number' || p < 1_000), `last page parameters: ${lastList.parameters.join(', ')}`);
      // The order of the members read from the end is the order of the list.
      const names = last.body.results.map((m) => m.user.username);
      assert.deepEqual(names, [...names].sort());
    });

    const orderings: Array<[string, RegExp]> = [
      ['username', /users_username_order_idx/],
      ['-username', /users_username_order_idx/],
      ['email', /users_email_order_idx/],
      ['-email', /users_email_order_idx/],
      ['first_name', /users_first_name_order_idx/],
      ['last_name', /users_last_name_order_idx/],
      ['-date_joined', /users_date_joined_order_idx/],
      ['last_activity', /users_last_activity_order_idx/],
      ['-last_activity', /users_last_activity_desc_order_idx/],
      ['-user__last_activity', /users_last_activity_desc_order_idx/],
    ];
    for (const [ordering, index] of orderings) {
      test(`ordering=${ordering}: the page is read from its index in order, nothing sorted`, async () => {
        const { body, statements } = await members(`page_size=30&ordering=${ordering}`);
        assert.equal(body.results.length, 30);
        const plan = await planOf(fixture, kind, listStatement(statements));
        assert.match(plan, index, plan);
        assert.equal(sorts(kind, plan), false, `the plan sorts:\n${plan}`);
      });
    }

    test('search= finds members through the trigram index, not by reading every user; asked again, only the page is read', async () => {
      const { body, statements } = await members('page_size=30&search=bulk6543');
      // bulk6543, bulk65430 … bulk65439 (members past 66,000 do not exist).
      const expected = ['bulk6543', ...Array.from({ length: 10 }, (_, i) => `bulk6543${i}`)].sort();
      assert.deepEqual(body.results.map((m) => m.user.username), expected);
      assert.equal(body.count, 11);
      // The first time: the ids of every match in the list's order (one narrow pass through the index), then the page.
      const matching = statements.filter((s) => /^select "u"\."id" from "organization_members"/i.test(s.sql) && /\blike\b/i.test(s.sql));
      assert.equal(matching.length, 1, statements.map((s) => s.sql).join('\n'));
      const plan = await planOf(fixture, kind, matching[0] as Statement);
      assert.match(plan, kind === 'sqlite' ? /VIRTUAL TABLE INDEX/ : /users_\w+_trgm_idx/, plan);
      assert.doesNotMatch(plan, kind === 'sqlite' ? /^SCAN u\b/m : /Seq Scan on users/, plan);
      // Asked again (or for its count): the remembered matches, so only the page's members are read, by id.
      const again = await members('page_size=30&search=bulk6543');
      assert.deepEqual(again.body, body);
      const list = listStatement(again.statements);
      assert.equal(again.statements.filter((s) => /\blike\b/i.test(s.sql)).length, 1, again.statements.map((s) => s.sql).join('\n'));
      assert.doesNotMatch(await planOf(fixture, kind, list), kind === 'sqlite' ? /^SCAN u\b/m : /Seq Scan on users/);
    });

    test('GET /api/users/ streams everyone in chunks, read in user order from an index and cut at the limit, nothing sorted', async () => {
      const log = fixture.ctx.statements;
      assert.ok(log);
      log.length = 0;
      const res = await fixture.client().get('/api/users/', { headers: tokenAuth(owner.token) });
      assert.equal(res.status, 200);
      assert.equal((res.body as unknown[]).length, MEMBERS + 1);
      const chunks = log.filter((s) => /"u"\."id" >/.test(s.sql) && /limit/i.test(s.sql));
      assert.ok(chunks.length >= MEMBERS / 250, `${chunks.length} chunk statements`);
      assert.ok(Math.max(...log.map(parameterCount)) <= MAX_PARAMETERS);
      const plan = await planOf(fixture, kind, chunks[Math.floor(chunks.length / 2)] as Statement);
      assert.equal(sorts(kind, plan), false, `the plan sorts:\n${plan}`);
      assert.doesNotMatch(plan, kind === 'sqlite' ? /^SCAN m\b/m : /Seq Scan on organization_members/, plan);
    });

    test('page_size beyond the cap is cut to it; page_size=-1 is everyone', async () => {
      const capped = await members('page_size=2000000&page=2');
      assert.equal(capped.body.results.length, 0, 'a page of 1,000,000 holds everyone on page 1, so page 2 is empty');
      assert.equal(capped.body.count, MEMBERS + 1);
    });
  });
}
