import { existsSync, readFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '#src/errors.js';
import type { SourceLocation } from '#src/adapters/label-studio-source.adapter.js';

type Env = Record<string, string | undefined>;

/** How the operator named the Label Studio install (the command's flags). */
export interface SourceFlags {
  from?: string;
  /** Read Label Studio's own variables (DJANGO_DB, POSTGRE_*, DATABASE_NAME, BASE_DATA_DIR). */
  fromEnv?: boolean;
  mediaDir?: string;
  secretKey?: string;
  secretKeyFile?: string;
}

export interface ResolvedSource {
  location: SourceLocation;
  /** Where avatar files are (Label Studio's MEDIA_ROOT). */
  mediaDir: string;
  /** Label Studio's SECRET_KEY, when given or found beside the database. */
  secretKey: string | undefined;
  /** Where the key came from, for the report. */
  secretKeyFrom: string | undefined;
}

/** Label Studio's variable, also with its LABEL_STUDIO_ prefix (Label Studio reads both). */
const lsEnv = (env: Env, name: string): string | undefined => env[name] || env[`LABEL_STUDIO_${name}`] || undefined;

/**
 * Label Studio's default data directory (appdirs' user data dir for `label-studio`). LABEL_STUDIO_BASE_DATA_DIR is
 * not read here: this product reads that variable as its own data directory. `--from-env` reads it as Label Studio's.
 */
export function labelStudioDataDir(env: Env, fromEnv: boolean): string {
  const configured = fromEnv ? lsEnv(env, 'BASE_DATA_DIR') : undefined;
  if (configured) return resolve(configured);
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Application Support', 'label-studio');
  if (platform() === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'label-studio', 'label-studio');
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.local', 'share'), 'label-studio');
}

/** `sqlite:///abs/path`, `sqlite:path`, `postgres://…` or a plain path. */
export function parseSourceUrl(from: string): SourceLocation {
  if (/^postgres(ql)?:\/\//i.test(from)) return { kind: 'postgres', url: from };
  if (/^sqlite:/i.test(from)) {
    const rest = from.slice('sqlite:'.length);
    // Django-style `sqlite:///abs` and `sqlite:////abs` both name /abs.
    const path = rest.startsWith('//') ? `/${rest.replace(/^\/+/, '')}` : rest;
    if (!path) throw new AppError('config.invalid', `--from ${from} names no file`);
    return { kind: 'sqlite', file: resolve(path) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from)) throw new AppError('config.invalid', `--from must be a SQLite file, sqlite:///path or postgres://… (got "${from.split(':')[0]}:…")`);
  return { kind: 'sqlite', file: resolve(from) };
}

/** The PostgreSQL URL Label Studio builds from DJANGO_DB and POSTGRE_*, or its SQLite file. */
function locationFromEnv(env: Env, dataDir: string): SourceLocation {
  const engine = lsEnv(env, 'DJANGO_DB');
  if (engine === 'default' || engine === 'postgresql') {
    const user = encodeURIComponent(lsEnv(env, 'POSTGRE_USER') ?? 'postgres');
    const password = encodeURIComponent(lsEnv(env, 'POSTGRE_PASSWORD') ?? 'postgres');
    const host = lsEnv(env, 'POSTGRE_HOST') ?? 'localhost';
    const port = lsEnv(env, 'POSTGRE_PORT') ?? '5432';
    const name = encodeURIComponent(lsEnv(env, 'POSTGRE_NAME') ?? 'postgres');
    if (!/^\d+$/.test(port)) throw new AppError('config.invalid', `POSTGRE_PORT must be a number (got "${port}")`);
    // A host that is a directory is a Unix socket, which libpq takes as the `host` parameter.
    if (host.startsWith('/')) return { kind: 'postgres', url: `postgres://${user}:${password}@localhost:${port}/${name}?host=${encodeURIComponent(host)}` };
    return { kind: 'postgres', url: `postgres://${user}:${password}@${host}:${port}/${name}` };
  }
  if (engine && engine !== 'sqlite') throw new AppError('config.invalid', `DJANGO_DB must be "sqlite" or "default" (got "${engine}")`);
  const file = lsEnv(env, 'DATABASE_NAME');
  return { kind: 'sqlite', file: file ? resolve(file) : join(dataDir, 'label_studio.sqlite3') };
}

/**
 * SECRET_KEY from Label Studio's `.env`: the value is everything after `=` to the end of the line (`#`, `$`, `%` are
 * part of it); a pair of quotes around it is removed. The first definition wins, as when Label Studio loads the file.
 */
export function readDotEnvSecret(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?SECRET_KEY\s*=(.*)$/.exec(line);
    if (!match) continue;
    const value = (match[1] ?? '').trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    const key = quoted ? (quoted[2] ?? '') : value;
    if (key) return key;
  }
  return undefined;
}

function secretFrom(flags: SourceFlags, envFile: string | undefined): { key: string | undefined; from: string | undefined } {
  if (flags.secretKey !== undefined) {
    if (!flags.secretKey) throw new AppError('config.invalid', '--secret-key is empty');
    return { key: flags.secretKey, from: '--secret-key' };
  }
  if (flags.secretKeyFile !== undefined) {
    const file = resolve(flags.secretKeyFile);
    if (!existsSync(file)) throw new AppError('config.invalid', `--secret-key-file: no file at ${file}`);
    // A whole `.env` is accepted as well as a file holding just the key.
    const text = readFileSync(file, 'utf8');
    const key = readDotEnvSecret(file) ?? text.replace(/\r?\n$/, '');
    if (!key) throw new AppError('config.invalid', `--secret-key-file: ${file} holds no key`);
    return { key, from: file };
  }
  const key = envFile ? readDotEnvSecret(envFile) : undefined;
  return { key, from: key ? envFile : undefined };
}

/** Where the Label Studio database, its media and its secret key are, from the flags (and Label Studio's defaults). */
export function resolveSource(flags: SourceFlags, env: Env = process.env): ResolvedSource {
  if (flags.from && flags.fromEnv) throw new AppError('config.invalid', 'Give either --from or --from-env, not both');
  const dataDir = labelStudioDataDir(env, flags.fromEnv === true);
  const location = flags.from ? parseSourceUrl(flags.from) : flags.fromEnv ? locationFromEnv(env, dataDir) : { kind: 'sqlite' as const, file: join(dataDir, 'label_studio.sqlite3') };
  // Label Studio keeps media and `.env` in its data directory; a SQLite database there sits beside them.
  const home = location.kind === 'sqlite' ? dirname(location.file) : dataDir;
  const secret = secretFrom(flags, join(home, '.env'));
  return {
    location,
    mediaDir: flags.mediaDir ? resolve(flags.mediaDir) : join(home, 'media'),
    secretKey: secret.key,
    secretKeyFrom: secret.from,
  };
}
