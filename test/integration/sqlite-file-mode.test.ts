import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../helpers/databases.js';
import { freePort, startServerProcess } from '../helpers/server-process.js';
import { startTestServer } from '../helpers/test-server.js';
import { HttpClient } from '../helpers/http-client.js';

/** The permission bits of a file, as `ls -l` would show them in octal. */
const modeOf = (file: string): string => (statSync(file).mode & 0o777).toString(8).padStart(3, '0');

/** The database file and the two SQLite writes beside it in WAL mode, each of which holds the data. */
const databaseFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];

/** Signs someone up, so the database has been written to through the server. */
async function writeThrough(baseUrl: string, email: string): Promise<void> {
  const res = await new HttpClient(baseUrl).signup(email, 'file-mode-pass-1');
  assert.equal(res.status, 302, res.text);
}

function assertOwnerOnly(file: string): void {
  for (const path of databaseFiles(file)) {
    assert.ok(existsSync(path), `${path} exists while the server runs`);
    assert.equal(modeOf(path), '600', `${path} is owner-only`);
  }
}

// A SQLite-only storage fact: PostgreSQL keeps its files itself.
describe('the SQLite database files are created owner-only (0600)', () => {
  let previousUmask: number;
  before(() => {
    // The most permissive umask, so only the server's own choice of mode can make the files private.
    previousUmask = process.umask(0o000);
  });
  after(() => {
    process.umask(previousUmask);
  });

  test('by the app, in a directory that did not exist yet, after a write', async () => {
    const file = join(tempDir('lsa-mode-'), 'not', 'yet', 'accounts.sqlite3');
    const server = await startTestServer('sqlite', { database: { url: `sqlite:${file}` } });
    try {
      await writeThrough(server.baseUrl, 'mode-app@example.com');
      assertOwnerOnly(file);
    } finally {
      await server.close();
    }
  });

  test('by `label-studio start` in a new data directory', async () => {
    const dataDir = join(tempDir('lsa-mode-'), 'data');
    const port = await freePort();
    // The child inherits the umask set above.
    const server = await startServerProcess(['--data-dir', dataDir, '-p', String(port), '--internal-host', '127.0.0.1']);
    try {
      await writeThrough(`http://127.0.0.1:${new URL(server.url).port}`, 'mode-cli@example.com');
      assertOwnerOnly(join(dataDir, 'label_studio_accounts.sqlite3'));
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0);
    }
  });
});
