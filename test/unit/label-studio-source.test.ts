import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSourceUrl, readDotEnvSecret, resolveSource } from '#src/adapters/label-studio-location.js';
import { isoDatetime, readValue } from '#src/adapters/label-studio-values.js';
import { readForeignClaims, tokenHash } from '#src/auth/jwt.js';
import { tempDir } from '../helpers/databases.js';
import { labelStudioPat, LS_SECRET_KEY } from '../helpers/label-studio-fixture.js';

test("Label Studio's datetimes read as ISO UTC, on SQLite (text, no zone, fraction dropped when zero) and PostgreSQL", () => {
  assert.equal(isoDatetime('2024-11-03 14:22:10.118402'), '2024-11-03T14:22:10.118Z');
  assert.equal(isoDatetime('2021-04-07 10:00:00'), '2021-04-07T10:00:00.000Z');
  assert.equal(isoDatetime('2024-11-03 14:22:10.118402+00'), '2024-11-03T14:22:10.118Z');
  assert.equal(isoDatetime('2024-11-03 16:22:10+02:00'), '2024-11-03T14:22:10.000Z');
  assert.equal(isoDatetime('2225-05-13 10:11:12'), '2225-05-13T10:11:12.000Z');
  assert.equal(isoDatetime('not a date'), null);
  assert.equal(isoDatetime(new Date(Date.UTC(2020, 0, 1))), '2020-01-01T00:00:00.000Z');
});

test('booleans, integers and JSON read the same from either database', () => {
  assert.deepEqual([readValue('boolean', 1), readValue('boolean', 0), readValue('boolean', true), readValue('boolean', 't'), readValue('boolean', null)], [true, false, true, true, null]);
  assert.deepEqual([readValue('integer', '9007199254740993'), readValue('integer', '42'), readValue('integer', 7)], [null, 42, 7]);
  assert.equal(readValue('json', '{"a": "caf\\u00e9"}'), '{"a": "caf\\u00e9"}', 'SQLite JSON text kept as stored');
  assert.equal(readValue('json', { a: 1 }), '{"a":1}');
});

test('--from takes a path, sqlite:///abs, sqlite:rel or a PostgreSQL URL', () => {
  assert.deepEqual(parseSourceUrl('sqlite:///srv/ls/label_studio.sqlite3'), { kind: 'sqlite', file: '/srv/ls/label_studio.sqlite3' });
  assert.deepEqual(parseSourceUrl('sqlite:////srv/ls/x.sqlite3'), { kind: 'sqlite', file: '/srv/ls/x.sqlite3' });
  assert.deepEqual(parseSourceUrl('postgresql://u:p@h/db'), { kind: 'postgres', url: 'postgresql://u:p@h/db' });
  assert.equal(parseSourceUrl('/tmp/a.sqlite3').kind, 'sqlite');
  assert.throws(() => parseSourceUrl('mysql://h/db'), /--from must be/);
});

test("SECRET_KEY from Label Studio's .env: everything after = to the end of the line, first definition wins", () => {
  const dir = tempDir();
  const file = join(dir, '.env');
  writeFileSync(file, `\nOTHER=1\nSECRET_KEY=${LS_SECRET_KEY}\nSECRET_KEY=later\n`);
  assert.equal(readDotEnvSecret(file), LS_SECRET_KEY);
  writeFileSync(file, 'SECRET_KEY="quoted value"\n');
  assert.equal(readDotEnvSecret(file), 'quoted value');
  assert.equal(readDotEnvSecret(join(dir, 'none')), undefined);
  // By default the key is looked for in the .env beside a SQLite source, media in the media folder beside it.
  writeFileSync(file, `SECRET_KEY=${LS_SECRET_KEY}\n`);
  const resolved = resolveSource({ from: join(dir, 'label_studio.sqlite3') }, {});
  assert.deepEqual([resolved.secretKey, resolved.mediaDir], [LS_SECRET_KEY, join(dir, 'media')]);
  assert.equal(resolveSource({ from: join(dir, 'x.sqlite3'), secretKey: 'given' }, {}).secretKey, 'given');
});

test('--from-env builds the PostgreSQL URL as Label Studio does, prefixed variables included', () => {
  const env = { DJANGO_DB: 'default', POSTGRE_NAME: 'ls', POSTGRE_USER: 'u', LABEL_STUDIO_POSTGRE_PASSWORD: 'p@ss', POSTGRE_HOST: 'db', POSTGRE_PORT: '6543' };
  assert.deepEqual(resolveSource({ fromEnv: true }, env).location, { kind: 'postgres', url: 'postgres://u:p%40ss@db:6543/ls' });
  assert.throws(() => resolveSource({ fromEnv: true, from: 'x' }, env), /either --from or --from-env/);
});

test("a Label Studio PAT's claims read whatever signs it; the whole token's hash recognises it", () => {
  const { token } = labelStudioPat(LS_SECRET_KEY, 7, 1_751_278_272, 'a'.repeat(32));
  const claims = readForeignClaims(token);
  assert.equal(claims?.user_id, 7);
  assert.equal(claims?.token_type, 'refresh');
  const stringId = `${token.split('.')[0]}.${Buffer.from(JSON.stringify({ token_type: 'refresh', exp: 2, iat: 1, jti: 'b', user_id: '12' })).toString('base64url')}.x`;
  assert.equal(readForeignClaims(stringId)?.user_id, 12, 'a numeric-string user id is the same user');
  assert.equal(readForeignClaims(token.split('.').slice(0, 2).join('.')), undefined, 'header.payload alone is not a token');
  assert.match(tokenHash(token), /^[0-9a-f]{64}$/);
});
