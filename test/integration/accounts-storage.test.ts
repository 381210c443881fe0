import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { AppError } from '#src/errors.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildTestContext, type TestContext } from '../helpers/test-context.js';

for (const kind of DATABASE_KINDS) {
  describe(`accounts storage [${kind}]`, { skip: skipReason(kind) }, () => {
    let ctx: TestContext;
    before(async () => {
      ctx = await buildTestContext(kind);
    });
    after(async () => ctx?.close());

    test('migrations are recorded and a second run applies nothing', async () => {
      assert.deepEqual(await ctx.database.pendingMigrations(), []);
      assert.deepEqual(await ctx.database.migrate(), []);
    });

    test('bootstrap creates the owner and the organization "Label Studio"', async () => {
      const result = await ctx.services.bootstrap.ensureUser({
        username: 'Owner@Example.com',
        password: 'owner-pass-1',
        userToken: '',
        enableLegacyApiToken: true,
      });
      const owner = result.user;
      assert.equal(owner.email, 'owner@example.com');
      assert.equal(owner.is_superuser, true);
      assert.equal(owner.is_active, true);
      assert.equal(owner.last_activity, null);
      assert.match(owner.date_joined, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const org = await ctx.repos.organizations.findFirst();
      assert.equal(org?.title, 'Label Studio');
      assert.equal(org?.created_by_id, owner.id);
      assert.equal(org?.legacy_api_tokens_enabled, true);
      assert.equal(org?.api_tokens_enabled, true);
      assert.match(org?.token ?? '', /^[A-Za-z0-9]{40}$/);
      assert.equal(owner.active_organization_id, org?.id);
      assert.equal((await ctx.repos.memberships.find(owner.id, org?.id ?? 0))?.role, 'OW');
    });

    test('a second start-up user joins the first organization as administrator', async () => {
      const { user } = await ctx.services.bootstrap.ensureUser({
        username: 'second@example.com',
        password: 'second-pass',
        userToken: 'my-custom-token',
        enableLegacyApiToken: false,
      });
      const org = await ctx.repos.organizations.findFirst();
      assert.equal((await ctx.repos.memberships.find(user.id, org?.id ?? 0))?.role, 'AD');
      assert.equal(await ctx.services.legacyTokens.reveal(user.id), 'my-custom-token');
      assert.equal(await ctx.services.legacyTokens.userIdForKey('my-custom-token'), user.id);
    });

    test('e-mails are unique whatever their case, and found whatever the case', async () => {
      await assert.rejects(
        ctx.services.users.createUser({ email: 'OWNER@example.COM' }),
        (error: unknown) => error instanceof AppError && error.status === 400 && 'email' in (error.validationErrors ?? {}),
      );
      const found = await ctx.services.users.findByEmail('  oWnEr@EXAMPLE.com ');
      assert.equal(found?.email, 'owner@example.com');
    });

    test('legacy tokens are 40 hex, retrievable, and absent from the database in the clear', async () => {
      const user = await ctx.services.users.createUser({ email: 'tok@example.com', password: 'tok-pass-123' });
      const key = await ctx.services.legacyTokens.reveal(user.id);
      assert.match(key, /^[0-9a-f]{40}$/);
      const rows = await ctx.database.db.selectFrom('legacy_tokens').selectAll().execute();
      for (const row of rows) {
        assert.ok(!JSON.stringify(row).includes(key), 'token must not be stored in the clear');
      }
      if (kind === 'sqlite') {
        const file = ctx.config.databaseUrl.slice('sqlite:'.length);
        await ctx.database.db.selectFrom('users').select('id').execute();
        const bytes = readFileSync(file).toString('latin1') + readFileSync(`${file}-wal`).toString('latin1');
        assert.ok(!bytes.includes(key), 'the SQLite file must not contain the token');
      }
      const renewed = await ctx.services.legacyTokens.issue(user.id);
      assert.notEqual(renewed, key);
      assert.equal(await ctx.services.legacyTokens.userIdForKey(key), undefined);
      assert.equal(await ctx.services.legacyTokens.userIdForKey(renewed), user.id);
    });

    test('passwords: a reset ends web sessions; old stops working, new works', async () => {
      const user = await ctx.services.users.findByEmail('owner@example.com');
      assert.ok(user);
      const at = new Date().toISOString();
      await ctx.database.db
        .insertInto('sessions')
        .values({ id_hash: 'a'.repeat(64), user_id: user.id, created_at: at, last_seen_at: at, expires_at: at, keep_logged_in: true })
        .execute();
      assert.equal(await ctx.services.users.setPassword(user.id, 'brand-new-pass'), 1);
      assert.equal(await ctx.services.users.verifyCredentials('owner@example.com', 'owner-pass-1'), undefined);
      assert.equal((await ctx.services.users.verifyCredentials('OWNER@example.com', 'brand-new-pass'))?.id, user.id);
      const left = await ctx.database.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
      assert.equal(left.length, 0);
    });

    test('users imported with Django hashes log in and get argon2id', async () => {
      const user = await ctx.services.users.createUser({ email: 'imported@example.com' });
      await ctx.repos.users.update(user.id, {
        password: 'pbkdf2_sha256$1200$abc$0gSU6/cK0Tiv2e7e4xndNvCd6CA/wZBUSWbT9PQyQyA=',
      });
      assert.equal((await ctx.services.users.verifyCredentials('imported@example.com', 'p4ssword!'))?.id, user.id);
      const upgraded = await ctx.repos.users.findById(user.id);
      assert.match(upgraded?.password ?? '', /^\$argon2id\$/);
      assert.equal((await ctx.services.users.verifyCredentials('imported@example.com', 'p4ssword!'))?.id, user.id);
    });

    test('a user without a password cannot log in; an inactive one neither', async () => {
      await ctx.services.users.createUser({ email: 'nopass@example.com' });
      assert.equal(await ctx.services.users.verifyCredentials('nopass@example.com', ''), undefined);
      assert.equal(await ctx.services.users.verifyCredentials('nopass@example.com', '!'), undefined);
      const user = await ctx.services.users.createUser({ email: 'inactive@example.com', password: 'inactive-pass' });
      await ctx.repos.users.update(user.id, { is_active: false });
      assert.equal(await ctx.services.users.verifyCredentials('inactive@example.com', 'inactive-pass'), undefined);
      assert.equal((await ctx.repos.users.findById(user.id))?.is_active, false);
    });

    test('an existing start-up user gets the new password and says so', async () => {
      const result = await ctx.services.bootstrap.ensureUser({
        username: 'second@example.com',
        password: 'changed-pass',
        userToken: 'abc',
        enableLegacyApiToken: false,
      });
      assert.deepEqual(result.messages, [
        "Token abc is not applied to user second@example.com because it's empty or len(token) < 6",
        'User second@example.com already exists',
        'User second@example.com password changed',
      ]);
      assert.ok(await ctx.services.users.verifyCredentials('second@example.com', 'changed-pass'));
    });
  });
}
