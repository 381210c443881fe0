import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { describe, test } from 'node:test';
import { DATABASE_KINDS, freshDatabaseUrl, skipReason, tempDir } from '../helpers/databases.js';
import { freePort, startServerProcess } from '../helpers/server-process.js';
import { runCli } from '../helpers/cli.js';


for (const kind of DATABASE_KINDS) {
  describe(`label-studio start [${kind}]`, { skip: skipReason(kind) }, () => {
    test('serves /health, bootstraps the user from flags, stops cleanly on SIGTERM', async () => {
      const dataDir = tempDir();
      const env: Record<string, string> = kind === 'postgres' ? { DATABASE_URL: await freshDatabaseUrl(kind, dataDir) } : {};
      const port = await freePort();
      const server = await startServerProcess(
        ['--data-dir', dataDir, '-p', String(port), '--internal-host', '127.0.0.1', '--username', 'boot@example.com', '--password', 'boot-pass-1'],
        env,
      );
      try {
        assert.equal(server.url, `http://localhost:${port}`);
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { status: 'UP' });
        assert.equal((await fetch(`http://127.0.0.1:${port}/health/`)).status, 200);
        const user = runCli(['user', '--data-dir', dataDir, '--username', 'boot@example.com'], env);
        assert.equal(user.status, 0, user.stdout + user.stderr);
      } finally {
        assert.equal(await server.stop('SIGTERM'), 0);
      }
      await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
    });
  });
}

describe('label-studio start (port handling)', () => {
  test('a busy port moves to the next free one with Label Studio\'s warning; SIGINT stops it', async () => {
    const busy = createServer();
    const port = await new Promise<number>((resolve) => {
      busy.listen(0, '127.0.0.1', () => {
        const address = busy.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    try {
      const server = await startServerProcess(['--data-dir', tempDir(), '--port', String(port), '--internal-host', '127.0.0.1']);
      try {
        assert.ok(server.output().includes(`*** WARNING! ***\n* Port ${port} is in use.\n* Trying to start at `), server.output());
        const moved = Number(server.url.split(':').at(-1));
        assert.ok(moved > port);
        assert.equal((await fetch(`http://127.0.0.1:${moved}/health`)).status, 200);
      } finally {
        assert.equal(await server.stop('SIGINT'), 0);
      }
    } finally {
      busy.close();
    }
  });

  test('a connection that never sent a request (a browser opens them ahead of need) does not hold up a stop', { timeout: 20_000 }, async () => {
    const port = await freePort();
    const server = await startServerProcess(['--data-dir', tempDir(), '--port', String(port), '--internal-host', '127.0.0.1']);
    const silent = connect(port, '127.0.0.1');
    await once(silent, 'connect');
    // The server may end it with a reset: either way it must end.
    silent.on('error', () => undefined);
    const ended = new Promise((resolve) => silent.once('close', resolve));
    // Without the fix the process waits for Node's headers timeout (about a minute) and the test times out.
    assert.equal(await server.stop('SIGTERM'), 0);
    await ended;
  });
});
