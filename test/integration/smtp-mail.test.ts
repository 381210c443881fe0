import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SmtpMailTransport } from '#src/adapters/smtp-transport.adapter.js';
import { createContext } from '#src/context.js';
import { systemContext } from '#src/policies/action-context.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { startSmtpTestServer, type SmtpTestServer } from '../helpers/smtp-test-server.js';
import { buildTestContext, type TestContext } from '../helpers/test-context.js';

const FROM = 'Label Studio <noreply@example.com>';
const message = (subject: string) => ({ from: FROM, to: 'ada@example.com', subject, text: `Text of ${subject}`, html: `<p>HTML of ${subject}</p>` });

describe('the SMTP transport against a real SMTP server', () => {
  const servers: SmtpTestServer[] = [];
  after(async () => {
    for (const server of servers) await server.close();
  });
  const start = async (options: Parameters<typeof startSmtpTestServer>[0]) => {
    const server = await startSmtpTestServer(options);
    servers.push(server);
    return server;
  };

  test('plain SMTP without authentication: text and HTML parts, the sender, the recipient', async () => {
    const server = await start({});
    const transport = new SmtpMailTransport(server.config());
    await transport.deliver(message('plain'));
    await transport.close();
    const [mail] = await server.waitFor(1);
    assert.equal(mail?.subject, 'plain');
    assert.equal(mail?.from, '"Label Studio" <noreply@example.com>');
    assert.deepEqual(mail?.to, ['ada@example.com']);
    assert.equal(mail?.text.trim(), 'Text of plain');
    assert.match(mail?.html ?? '', /<p>HTML of plain<\/p>/);
    assert.equal(mail?.secure, false);
  });

  test('EMAIL_USE_TLS: STARTTLS with a verified certificate, then the login', async () => {
    const server = await start({ security: 'starttls', auth: { user: 'relay', pass: 'relay-secret' } });
    const transport = new SmtpMailTransport(server.config({ host: 'localhost' }), { ca: server.certificate });
    await transport.deliver(message('starttls'));
    await transport.close();
    const [mail] = await server.waitFor(1);
    assert.equal(mail?.secure, true);
    assert.equal(mail?.user, 'relay');
  });

  test('EMAIL_USE_SSL: implicit TLS from the first byte', async () => {
    const server = await start({ security: 'tls', auth: { user: 'relay', pass: 'relay-secret' } });
    const transport = new SmtpMailTransport(server.config({ host: 'localhost' }), { ca: server.certificate });
    await transport.deliver(message('implicit tls'));
    await transport.close();
    assert.equal((await server.waitFor(1))[0]?.secure, true);
  });

  test('a wrong password, an untrusted certificate or a relay without STARTTLS is a failed delivery, not a silent one', async () => {
    const tlsServer = await start({ security: 'starttls', auth: { user: 'relay', pass: 'relay-secret' } });
    const wrongPassword = new SmtpMailTransport(tlsServer.config({ host: 'localhost', password: 'nope' }), { ca: tlsServer.certificate });
    await assert.rejects(wrongPassword.deliver(message('refused')), /Invalid username or password|535/);
    await wrongPassword.close();
    const untrusted = new SmtpMailTransport(tlsServer.config({ host: 'localhost' }));
    await assert.rejects(untrusted.deliver(message('untrusted')), /certificate/i);
    await untrusted.close();
    const plainServer = await start({});
    const demandsTls = new SmtpMailTransport(plainServer.config({ security: 'starttls' }));
    await assert.rejects(demandsTls.deliver(message('no starttls')), /STARTTLS/i);
    await demandsTls.close();
    assert.equal(tlsServer.received.length + plainServer.received.length, 0);
  });
});

for (const kind of DATABASE_KINDS) {
  describe(`the mail outbox over SMTP [${kind}]`, { skip: skipReason(kind) }, () => {
    let smtp: SmtpTestServer;
    let ctx: TestContext;
    /** A second server process on the same database, with its own connection to the relay. */
    let peer: TestContext;
    const clock = new ManualClock();
    const send = (subject: string) => ctx.deps.uow.run(systemContext('test'), (tx) => ctx.deps.mailer.send(tx, { to: 'grace@example.com', subject, text: subject }));

    before(async () => {
      smtp = await startSmtpTestServer({});
      ctx = await buildTestContext(kind, { server: { host: 'http://ls.example.com' }, mail: { smtp: smtp.config() } }, { clock });
      peer = Object.assign(await createContext(ctx.config, { clock }), { dataDir: ctx.dataDir, queries: [] });
    });
    after(async () => {
      await peer?.close();
      await ctx?.close();
      await smtp?.close();
    });

    test('two servers draining one outbox at once send each message exactly once', async () => {
      await ctx.deps.uow.run(systemContext('test'), async (tx) => {
        for (let i = 0; i < 30; i += 1) await ctx.deps.mailer.send(tx, { to: `person${i}@example.com`, subject: `batch ${i}`, text: 'hello' });
      });
      await Promise.all([ctx.mailer.flush(), peer.mailer.flush(), peer.mailer.flush()]);
      await Promise.all([ctx.mailer.flush(), peer.mailer.flush()]);
      const subjects = smtp.received.map((m) => m.subject).filter((s) => s.startsWith('batch '));
      assert.equal(subjects.length, 30, subjects.join(', '));
      assert.equal(new Set(subjects).size, 30);
      assert.equal((await ctx.repos.mailOutbox.listUnsent()).length, 0);
    });

    test('a relay that refuses for now: the message is retried after the backoff and delivered once', async () => {
      smtp.received.length = 0;
      smtp.refuseNext = 1;
      await send('retried');
      await ctx.mailer.flush();
      const [pending] = await ctx.repos.mailOutbox.listUnsent();
      assert.match(pending?.last_error ?? '', /451|Try again later/);
      await Promise.all([ctx.mailer.flush(), peer.mailer.flush()]);
      assert.equal(smtp.received.length, 0, 'not before the retry time');
      clock.advance(31_000);
      await Promise.all([ctx.mailer.flush(), peer.mailer.flush()]);
      assert.deepEqual(smtp.received.map((m) => m.subject), ['retried']);
    });

    test('the drainer: sends what a stopped server left behind, wakes on its own commits, sends nothing once stopped', async () => {
      smtp.received.length = 0;
      await peer.mailer.stop();
      await peer.deps.uow.run(systemContext('test'), (tx) => peer.deps.mailer.send(tx, { to: 'grace@example.com', subject: 'left behind', text: 'x' }));
      assert.deepEqual((await ctx.repos.mailOutbox.listUnsent()).map((m) => m.subject), ['left behind']);
      ctx.mailer.start();
      assert.deepEqual((await smtp.waitFor(1, 5000)).map((m) => m.subject), ['left behind']);
      await send('woken');
      // Well within the 30 s poll: the commit woke the drainer.
      assert.deepEqual((await smtp.waitFor(2, 5000)).map((m) => m.subject), ['left behind', 'woken']);
      await ctx.mailer.stop();
      await send('after stop');
      assert.deepEqual((await ctx.repos.mailOutbox.listUnsent()).map((m) => m.subject), ['after stop']);
      assert.equal(smtp.received.length, 2);
    });
  });
}
