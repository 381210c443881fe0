import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { hashPassword } from '#src/auth/password-hasher.js';
import { AppError } from '#src/errors.js';
import { createDatabase } from '#src/storage/database.js';
import { systemContext } from '#src/policies/action-context.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { buildUser } from '../helpers/factories.js';
import { buildTestContext, type TestContext } from '../helpers/test-context.js';
import { after, before } from 'node:test';

const ctxOf = () => systemContext('test');

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

    test('an up-to-date database is checked in one statement: no migrator, no lock', async () => {
      const statements: string[] = [];
      const again = await createDatabase(ctx.config.database.url, { onQuery: (sql) => statements.push(sql) });
      try {
        assert.deepEqual(await again.migrate(), []);
        assert.equal(statements.length, 1, statements.join('\n'));
        assert.match(statements[0] ?? '', /kysely_migration/);
      } finally {
        await again.close();
      }
    });

    test('bootstrap creates the owner and the organization "Label Studio", its invite token sealed', async () => {
      const result = await ctx.services.bootstrap.ensureUser(ctxOf(), { username: 'Owner@Example.com', password: 'owner-pass-1', userToken: '' });
      const owner = result.user;
      assert.equal(owner.email, 'owner@example.com');
      assert.equal(owner.is_superuser, true);
      assert.equal(owner.is_active, true);
      assert.equal(owner.last_activity, null);
      assert.ok(!('password' in owner), 'user rows never carry the password hash');
      assert.match(owner.date_joined, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const org = await ctx.repos.organizations.findFirst();
      assert.ok(org);
      assert.equal(org.title, 'Label Studio');
      assert.equal(org.created_by_id, owner.id);
      assert.equal(org.legacy_api_tokens_enabled, true);
      assert.equal(org.api_tokens_enabled, true);
      assert.equal(owner.active_organization_id, org.id);
      assert.equal((await ctx.repos.memberships.find(owner.id, org.id))?.role, 'OW');
      // The invite token: 40 alphanumerics, found by its keyed hash, and not in the row in the clear.
      const token = ctx.deps.secrets.inviteTokens.decrypt(org.invite_ciphertext ?? '');
      assert.match(token, /^[A-Za-z0-9]{40}$/);
      assert.ok(!JSON.stringify(org).includes(token));
      assert.equal((await ctx.services.organizations.findByInviteToken(token))?.id, org.id);
      assert.equal(await ctx.services.organizations.findByInviteToken(org.invite_lookup_hash), undefined);
    });

    test('a second start-up user joins the first organization as administrator', async () => {
      const { user } = await ctx.services.bootstrap.ensureUser(ctxOf(), { username: 'second@example.com', password: 'second-pass', userToken: 'my-custom-token' });
      const org = await ctx.repos.organizations.findFirst();
      assert.equal((await ctx.repos.memberships.find(user.id, org?.id ?? 0))?.role, 'AD');
      assert.equal(await ctx.services.legacyTokens.reveal(ctxOf(), user.id), 'my-custom-token');
      assert.equal(await ctx.services.legacyTokens.userIdForKey('my-custom-token'), user.id);
    });

    test('a use case that fails half-way leaves nothing behind', async () => {
      // The user row is written, then the token step refuses a key another user holds: the whole start-up user goes.
      await assert.rejects(
        ctx.services.bootstrap.ensureUser(ctxOf(), { username: 'half-way@example.com', password: 'half-way-pass', userToken: 'my-custom-token' }),
        (error: unknown) => error instanceof AppError && error.code === 'user.token_taken',
      );
      assert.equal(await ctx.services.accounts.findByEmail('half-way@example.com'), undefined);
      assert.equal(await ctx.repos.users.findCredentials('half-way@example.com'), undefined);
    });

    test('e-mails are unique whatever their case, and found whatever the case', async () => {
      await assert.rejects(
        ctx.deps.uow.run(ctxOf(), (tx) => ctx.services.accounts.create(tx, { email: 'OWNER@example.COM', passwordHash: null })),
        (error: unknown) => error instanceof AppError && error.code === 'user.email_taken' && 'email' in (error.validationErrors ?? {}),
      );
      const found = await ctx.services.accounts.findByEmail('  oWnEr@EXAMPLE.com ');
      assert.equal(found?.email, 'owner@example.com');
    });

    test('e-mails with invisible characters are refused: no look-alike accounts', async () => {
      for (const email of ['owner@example.com\u200b', 'ow\u202Ener@example.com', 'owner\u00a0x@example.com', 'a\u0007@example.com']) {
        await assert.rejects(
          ctx.deps.uow.run(ctxOf(), (tx) => ctx.services.accounts.create(tx, { email, passwordHash: null })),
          (error: unknown) => error instanceof AppError && JSON.stringify(error.validationErrors) === '{"email":["Enter a valid email address."]}',
          JSON.stringify(email),
        );
      }
    });

    test('legacy tokens are 40 hex, retrievable, and absent from the database in the clear', async () => {
      const { user, token: key } = await buildUser(ctx, { email: 'tok@example.com', password: 'tok-pass-123' });
      assert.match(key, /^[0-9a-f]{40}$/);
      const rows = await ctx.database.db.selectFrom('legacy_tokens').selectAll().execute();
      for (const row of rows) assert.ok(!JSON.stringify(row).includes(key), 'token must not be stored in the clear');
      if (kind === 'sqlite') {
        const file = ctx.config.database.url.slice('sqlite:'.length);
        await ctx.database.db.selectFrom('users').select('id').execute();
        const bytes = readFileSync(file).toString('latin1') + readFileSync(`${file}-wal`).toString('latin1');
        assert.ok(!bytes.includes(key), 'the SQLite file must not contain the token');
      }
      const renewed = await ctx.deps.uow.run(ctxOf(), (tx) => ctx.services.legacyTokens.issue(tx, user.id));
      assert.notEqual(renewed, key);
      assert.equal(await ctx.services.legacyTokens.userIdForKey(key), undefined);
      assert.equal(await ctx.services.legacyTokens.userIdForKey(renewed), user.id);
    });

    test('passwords: a reset ends web sessions; old stops working, new works', async () => {
      const user = await ctx.services.accounts.findByEmail('owner@example.com');
      assert.ok(user);
      await ctx.deps.uow.run(ctxOf(), (tx) => ctx.services.sessions.start(tx, user.id, true));
      assert.equal(await ctx.services.accounts.setPassword(ctxOf(), user.id, 'brand-new-pass', { checkRules: true }), 1);
      assert.equal(await ctx.services.accounts.verifyCredentials(ctxOf(), 'owner@example.com', 'owner-pass-1'), undefined);
      assert.equal((await ctx.services.accounts.verifyCredentials(ctxOf(), 'OWNER@example.com', 'brand-new-pass'))?.id, user.id);
      assert.equal(await ctx.repos.sessions.deleteForUser(user.id), 0, 'no session left');
    });

    test('the password rule refuses common, numeric, blank and look-alike passwords, all at once', async () => {
      const user = await ctx.services.accounts.findByEmail('owner@example.com');
      assert.ok(user);
      const refusal = async (password: string): Promise<unknown> => {
        try {
          await ctx.services.accounts.setPassword(ctxOf(), user.id, password, { checkRules: true });
        } catch (error) {
          return error instanceof AppError ? error.validationErrors?.password : error;
        }
        return 'accepted';
      };
      assert.deepEqual(await refusal('password'), ['This password is too common.']);
      assert.deepEqual(await refusal('12345678'), ['This password is too common.', 'This password is entirely numeric.']);
      assert.deepEqual(await refusal('        '), ['This password is only spaces.']);
      assert.deepEqual(await refusal('owner@example.com'), ['The password is too similar to the email address.']);
      assert.deepEqual(await refusal('short'), ['Please enter a password 8–128 characters in length.']);
      assert.equal(await refusal('a-rather-unusual-phrase'), 'accepted');
    });

    test('users imported with Django hashes log in and get argon2id', async () => {
      const { user } = await buildUser(ctx, { email: 'imported@example.com' });
      await ctx.repos.users.update(user.id, { password: 'pbkdf2_sha256$1200$abc$0gSU6/cK0Tiv2e7e4xndNvCd6CA/wZBUSWbT9PQyQyA=' });
      assert.equal((await ctx.services.accounts.verifyCredentials(ctxOf(), 'imported@example.com', 'p4ssword!'))?.id, user.id);
      assert.match((await ctx.repos.users.passwordHash(user.id)) ?? '', /^\$argon2id\$/);
      assert.equal((await ctx.services.accounts.verifyCredentials(ctxOf(), 'imported@example.com', 'p4ssword!'))?.id, user.id);
    });

    test('a user without a password cannot log in; an inactive one neither', async () => {
      await ctx.deps.uow.run(ctxOf(), (tx) => ctx.services.accounts.create(tx, { email: 'nopass@example.com', passwordHash: null }));
      assert.equal(await ctx.services.accounts.verifyCredentials(ctxOf(), 'nopass@example.com', ''), undefined);
      assert.equal(await ctx.services.accounts.verifyCredentials(ctxOf(), 'nopass@example.com', '!'), undefined);
      const passwordHash = await hashPassword('inactive-pass');
      const user = await ctx.deps.uow.run(ctxOf(), (tx) => ctx.services.accounts.create(tx, { email: 'inactive@example.com', passwordHash }));
      await ctx.repos.users.update(user.id, { is_active: false });
      assert.equal(await ctx.services.accounts.verifyCredentials(ctxOf(), 'inactive@example.com', 'inactive-pass'), undefined);
      assert.equal((await ctx.repos.users.findById(user.id))?.is_active, false);
    });

    test('an existing start-up user gets the new password and says so', async () => {
      const result = await ctx.services.bootstrap.ensureUser(ctxOf(), { username: 'second@example.com', password: 'changed-pass', userToken: 'abc' });
      assert.deepEqual(result.messages, [
        "Token abc is not applied to user second@example.com because it's empty or len(token) < 6",
        'User second@example.com already exists',
        'User second@example.com password changed',
      ]);
      assert.ok(await ctx.services.accounts.verifyCredentials(ctxOf(), 'second@example.com', 'changed-pass'));
    });
  });
}
