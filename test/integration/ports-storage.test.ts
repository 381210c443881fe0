import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DatabaseFileStore } from '#src/adapters/database-file-store.adapter.js';
import { LocalFileStore } from '#src/adapters/local-file-store.adapter.js';
import { OutboxMailer } from '#src/adapters/outbox-mailer.adapter.js';
import { createContext } from '#src/context.js';
import { AppError } from '#src/errors.js';
import { systemContext } from '#src/policies/action-context.js';
import { stderrLogger } from '#src/ports/logger.port.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { RecordingMailTransport } from '../helpers/recording-mail-transport.js';
import { buildTestContext, type TestContext } from '../helpers/test-context.js';

const ctxOf = () => systemContext('test');
const MESSAGE = { to: 'someone@example.com', subject: 'Hello', text: 'Plain text', html: '<p>HTML</p>' };

for (const kind of DATABASE_KINDS) {
  describe(`unit of work and ports [${kind}]`, { skip: skipReason(kind) }, () => {
    let ctx: TestContext;
    /** A second server process on the same database. */
    let peer: TestContext;
    const clock = new ManualClock();
    const transport = new RecordingMailTransport();
    before(async () => {
      ctx = await buildTestContext(kind, {}, { clock, mailTransport: transport });
      peer = Object.assign(await createContext(ctx.config, { clock, mailTransport: transport }), { dataDir: ctx.dataDir, queries: [], statements: [] });
    });
    after(async () => {
      await peer?.close();
      await ctx?.close();
    });

    test('a transaction commits whole or not at all; after-commit steps run only after a commit', async () => {
      const ran: string[] = [];
      await assert.rejects(
        ctx.deps.uow.run(ctxOf(), async (tx) => {
          await tx.repos.organizations.insert({
            title: 'Half-way',
            invite_lookup_hash: 'h'.repeat(64),
            invite_ciphertext: null,
            created_by_id: null,
            contact_info: null,
            allow_unsafe_instruction_tags: false,
            api_tokens_enabled: true,
            legacy_api_tokens_enabled: false,
            created_at: clock.now().toISOString(),
            updated_at: clock.now().toISOString(),
          });
          tx.afterCommit(async () => void ran.push('after commit'));
          tx.onRollback(async () => void ran.push('on rollback'));
          throw new AppError('request.invalid', 'stop');
        }),
        /stop/,
      );
      assert.deepEqual(ran, ['on rollback']);
      assert.equal((await ctx.database.db.selectFrom('organizations').select('id').where('title', '=', 'Half-way').execute()).length, 0);

      const committed = await ctx.deps.uow.run(ctxOf(), async (tx) => {
        tx.afterCommit(async () => void ran.push('after commit'));
        tx.afterCommit(async () => {
          throw new Error('a failing step is logged, the change stays');
        });
        return 'done';
      });
      assert.equal(committed, 'done');
      assert.deepEqual(ran, ['on rollback', 'after commit']);
    });

    test('a unique violation two requests race into is a 400 with its code, not a 500', async () => {
      const insert = () =>
        ctx.deps.uow.run(ctxOf(), (tx) =>
          tx.repos.users.insert({
            email: 'race@example.com',
            username: 'race',
            password: '!',
            first_name: '',
            last_name: '',
            phone: '',
            avatar: null,
            custom_hotkeys: '{}',
            is_staff: false,
            is_superuser: false,
            is_active: true,
            allow_newsletters: null,
            date_joined: clock.now().toISOString(),
            last_login: null,
            last_activity: null,
            active_organization_id: null,
          }),
        );
      await insert();
      await assert.rejects(insert(), (error: unknown) => error instanceof AppError && error.code === 'user.email_taken' && error.status === 400);
    });

    test('mail: written with the change, sent after the commit, nothing for a rollback, each message once across servers', async () => {
      const { mailer } = ctx.deps;
      assert.equal(mailer.enabled, true);
      await assert.rejects(
        ctx.deps.uow.run(ctxOf(), async (tx) => {
          await mailer.send(tx, { ...MESSAGE, subject: 'rolled back' });
          throw new AppError('request.invalid', 'stop');
        }),
      );
      assert.equal((await ctx.repos.mailOutbox.listUnsent()).length, 0, 'a rolled-back change leaves no mail');

      await ctx.deps.uow.run(ctxOf(), (tx) => mailer.send(tx, MESSAGE));
      await ctx.mailer.flush();
      assert.equal(transport.delivered.length, 1);
      assert.deepEqual(transport.delivered[0], { from: ctx.config.mail.from, ...MESSAGE });

      // Two servers flushing the same outbox at once: every message goes out exactly once.
      transport.delivered.length = 0;
      await ctx.deps.uow.run(ctxOf(), async (tx) => {
        for (let i = 0; i < 20; i += 1) await mailer.send(tx, { ...MESSAGE, subject: `batch ${i}` });
      });
      await Promise.all([ctx.mailer.flush(), peer.mailer.flush(), ctx.mailer.flush(), peer.mailer.flush()]);
      await Promise.all([ctx.mailer.flush(), peer.mailer.flush()]);
      assert.deepEqual(transport.delivered.map((m) => m.subject).sort(), Array.from({ length: 20 }, (_, i) => `batch ${i}`).sort());
      assert.equal((await ctx.repos.mailOutbox.listUnsent()).length, 0);
    });

    test('mail: a failed delivery is retried later, with the error kept meanwhile', async () => {
      transport.delivered.length = 0;
      transport.failNext = 1;
      await ctx.deps.uow.run(ctxOf(), (tx) => ctx.deps.mailer.send(tx, { ...MESSAGE, subject: 'retried' }));
      await ctx.mailer.flush();
      assert.equal(transport.delivered.length, 0);
      const [pending] = await ctx.repos.mailOutbox.listUnsent();
      assert.equal(pending?.last_error, 'mail server unavailable');
      await ctx.mailer.flush();
      assert.equal(transport.delivered.length, 0, 'not before its retry time');
      clock.advance(31_000);
      await ctx.mailer.flush();
      assert.deepEqual(transport.delivered.map((m) => m.subject), ['retried']);
    });

    test('mail: without a transport the mailer says so instead of queueing what would never leave', async () => {
      const silent = new OutboxMailer(ctx.repos, undefined, ctx.config.mail.from, clock, stderrLogger);
      assert.equal(silent.enabled, false);
      await assert.rejects(
        ctx.deps.uow.run(ctxOf(), (tx) => silent.send(tx, MESSAGE)),
        (error: unknown) => error instanceof AppError && error.code === 'mail.not_configured',
      );
    });

    test('files on disk: a put that rolls back leaves no file; a removal happens only once committed', async () => {
      const store = new LocalFileStore(join(ctx.dataDir, 'media', 'avatars'));
      const file = { data: Buffer.from('png'), contentType: 'image/png' };
      await assert.rejects(
        ctx.deps.uow.run(ctxOf(), async (tx) => {
          await store.put(tx, 'abcd0001-a.png', file);
          throw new AppError('request.invalid', 'stop');
        }),
      );
      assert.equal(existsSync(join(store.directory, 'abcd0001-a.png')), false);
      await ctx.deps.uow.run(ctxOf(), (tx) => store.put(tx, 'abcd0002-b.png', file));
      assert.deepEqual((await store.read('abcd0002-b.png'))?.data, file.data);
      await assert.rejects(
        ctx.deps.uow.run(ctxOf(), async (tx) => {
          await store.remove(tx, 'abcd0002-b.png');
          throw new AppError('request.invalid', 'stop');
        }),
      );
      assert.ok(await store.read('abcd0002-b.png'), 'a rolled-back removal keeps the file');
      await ctx.deps.uow.run(ctxOf(), (tx) => store.remove(tx, 'abcd0002-b.png'));
      assert.equal(await store.read('abcd0002-b.png'), undefined);
      assert.equal(await store.read('../secret_key'), undefined, 'no name outside the folder is ever read');
    });

    test('files in the database: transactional, and visible to every server sharing it', async () => {
      const here = new DatabaseFileStore(ctx.repos, clock);
      const there = new DatabaseFileStore(peer.repos, clock);
      const file = { data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]), contentType: 'image/png' };
      await assert.rejects(
        ctx.deps.uow.run(ctxOf(), async (tx) => {
          await here.put(tx, 'abcd0003-c.png', file);
          throw new AppError('request.invalid', 'stop');
        }),
      );
      assert.equal(await there.read('abcd0003-c.png'), undefined);
      await ctx.deps.uow.run(ctxOf(), (tx) => here.put(tx, 'abcd0003-c.png', file));
      assert.deepEqual(await there.read('abcd0003-c.png'), file, 'the other server reads the same bytes');
      await ctx.deps.uow.run(ctxOf(), (tx) => there.remove(tx, 'abcd0003-c.png'));
      assert.equal(await here.read('abcd0003-c.png'), undefined);
    });

    test('attempt counter: shared by servers, counted atomically, forgotten after its window or when cleared', async () => {
      const scope = 'login:email:counted@example.com';
      const counters = [ctx.deps.attempts, peer.deps.attempts];
      const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => counters[i % 2]?.recordFailure(scope, 3600)));
      assert.deepEqual([...counts].sort((a, b) => (a ?? 0) - (b ?? 0)), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal(await peer.deps.attempts.failures(scope, 3600), 20);
      clock.advance(3601_000);
      assert.equal(await ctx.deps.attempts.failures(scope, 3600), 0, 'an old window no longer counts');
      assert.equal(await ctx.deps.attempts.recordFailure(scope, 3600), 1, 'and a new failure starts a new window');
      await peer.deps.attempts.clear(scope);
      assert.equal(await ctx.deps.attempts.failures(scope, 3600), 0);
    });
  });
}
