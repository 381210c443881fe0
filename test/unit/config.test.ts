import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '#src/config.js';
import { AppError } from '#src/errors.js';

test('defaults: XDG data dir, SQLite inside it, port 8080, legacy tokens off', () => {
  const config = resolveConfig({}, { XDG_DATA_HOME: '/xdg' });
  assert.equal(config.dataDir, '/xdg/label-studio-accounts');
  assert.equal(config.databaseUrl, 'sqlite:/xdg/label-studio-accounts/label_studio_accounts.sqlite3');
  assert.equal(config.port, 8080);
  assert.equal(config.enableLegacyApiToken, false);
  assert.equal(config.logLevel, 'WARNING');
});

test('flags win over Label Studio environment variables', () => {
  const env = { LABEL_STUDIO_BASE_DATA_DIR: '/env-dir', LABEL_STUDIO_PORT: '9000', LABEL_STUDIO_USERNAME: 'env@x.io' };
  assert.equal(resolveConfig({}, env).dataDir, '/env-dir');
  assert.equal(resolveConfig({}, env).port, 9000);
  assert.equal(resolveConfig({}, env).username, 'env@x.io');
  const flagged = resolveConfig({ dataDir: '/flag-dir', port: '9100', username: 'flag@x.io' }, env);
  assert.deepEqual([flagged.dataDir, flagged.port, flagged.username], ['/flag-dir', 9100, 'flag@x.io']);
});

test('PostgreSQL from DATABASE_URL or from Label Studio POSTGRE_* variables', () => {
  assert.equal(resolveConfig({}, { DATABASE_URL: 'postgres://u:p@db:5432/ls' }).databaseUrl, 'postgres://u:p@db:5432/ls');
  const env = { DJANGO_DB: 'default', POSTGRE_NAME: 'ls', POSTGRE_USER: 'lsuser', POSTGRE_PASSWORD: 'p@ss', POSTGRE_HOST: 'db', POSTGRE_PORT: '5433' };
  assert.equal(resolveConfig({}, env).databaseUrl, 'postgres://lsuser:p%40ss@db:5433/ls');
});

test('LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN takes Label Studio boolean words', () => {
  assert.equal(resolveConfig({}, { LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'yes' }).enableLegacyApiToken, true);
  assert.equal(resolveConfig({}, { LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'Off' }).enableLegacyApiToken, false);
});

test('every configuration problem is reported at once', () => {
  assert.throws(
    () => resolveConfig({ port: 'eighty' }, { LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'maybe', DJANGO_DB: 'oracle' }),
    (error: unknown) =>
      error instanceof AppError &&
      error.code === 'config_error' &&
      error.detail.includes('port') &&
      error.detail.includes('LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN') &&
      error.detail.includes('DJANGO_DB'),
  );
});
