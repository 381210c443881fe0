import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '#src/config.js';
import { AppError } from '#src/errors.js';

test('defaults: XDG data dir, SQLite inside it, port 8080, legacy tokens off', () => {
  const config = resolveConfig({}, { XDG_DATA_HOME: '/xdg' });
  assert.equal(config.dataDir, '/xdg/label-studio-accounts');
  assert.equal(config.database.url, 'sqlite:/xdg/label-studio-accounts/label_studio_accounts.sqlite3');
  assert.equal(config.server.port, 8080);
  assert.equal(config.security.enableLegacyApiToken, false);
  assert.equal(config.logLevel, 'WARNING');
});

test('flags win over Label Studio environment variables', () => {
  const env = { LABEL_STUDIO_BASE_DATA_DIR: '/env-dir', LABEL_STUDIO_PORT: '9000', LABEL_STUDIO_USERNAME: 'env@x.io' };
  assert.equal(resolveConfig({}, env).dataDir, '/env-dir');
  assert.equal(resolveConfig({}, env).server.port, 9000);
  assert.equal(resolveConfig({}, env).bootstrap.username, 'env@x.io');
  const flagged = resolveConfig({ dataDir: '/flag-dir', port: '9100', username: 'flag@x.io' }, env);
  assert.deepEqual([flagged.dataDir, flagged.server.port, flagged.bootstrap.username], ['/flag-dir', 9100, 'flag@x.io']);
});

test('PostgreSQL from DATABASE_URL or from Label Studio POSTGRE_* variables', () => {
  assert.equal(resolveConfig({}, { DATABASE_URL: 'postgres://u:p@db:5432/ls' }).database.url, 'postgres://u:p@db:5432/ls');
  const env = { DJANGO_DB: 'default', POSTGRE_NAME: 'ls', POSTGRE_USER: 'lsuser', POSTGRE_PASSWORD: 'p@ss', POSTGRE_HOST: 'db', POSTGRE_PORT: '5433' };
  assert.equal(resolveConfig({}, env).database.url, 'postgres://lsuser:p%40ss@db:5433/ls');
});

test('LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN takes Label Studio boolean words', () => {
  assert.equal(resolveConfig({}, { LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'yes' }).security.enableLegacyApiToken, true);
  assert.equal(resolveConfig({}, { LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'Off' }).security.enableLegacyApiToken, false);
});

test('every configuration problem is reported at once', () => {
  assert.throws(
    () => resolveConfig({ port: 'eighty' }, { LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'maybe', DJANGO_DB: 'oracle' }),
    (error: unknown) =>
      error instanceof AppError &&
      error.code === 'config.invalid' &&
      error.detail.includes('port') &&
      error.detail.includes('LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN') &&
      error.detail.includes('DJANGO_DB'),
  );
});

test('configuration groups: database pool, trusted proxies, file store, mail sender', () => {
  const config = resolveConfig({}, {
    DATABASE_POOL_SIZE: '25',
    LABEL_STUDIO_TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16',
    LABEL_STUDIO_FILE_STORE: 'database',
    FROM_EMAIL: 'Labels <labels@example.com>',
  });
  assert.equal(config.database.poolSize, 25);
  assert.deepEqual(config.server.trustedProxies, ['10.0.0.1', '192.168.0.0/16']);
  assert.equal(config.files.store, 'database');
  assert.equal(config.mail.from, 'Labels <labels@example.com>');
  assert.throws(
    () => resolveConfig({}, { DATABASE_POOL_SIZE: '0', LABEL_STUDIO_TRUSTED_PROXIES: 'proxy.example', LABEL_STUDIO_FILE_STORE: 's3' }),
    (error: unknown) =>
      error instanceof AppError &&
      error.detail.includes('DATABASE_POOL_SIZE') &&
      error.detail.includes('proxy.example') &&
      error.detail.includes('LABEL_STUDIO_FILE_STORE'),
  );
});
