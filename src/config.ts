import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '#src/errors.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

/** Options as the CLI parsed them; every field optional because each command takes a subset. */
export interface CliOptions {
  dataDir?: string;
  database?: string;
  logLevel?: string;
  port?: string;
  host?: string;
  internalHost?: string;
  username?: string;
  password?: string;
  userToken?: string;
  enableLegacyApiToken?: boolean;
  noBrowser?: boolean;
}

export interface AppConfig {
  dataDir: string;
  /** `sqlite:<absolute file>` or `postgres://…`; only the database factory interprets the scheme. */
  databaseUrl: string;
  logLevel: LogLevel;
  port: number;
  /** Port given explicitly by flag or env; the server then still moves on when it is busy, as Label Studio does. */
  host: string;
  internalHost: string;
  username: string;
  password: string;
  userToken: string;
  enableLegacyApiToken: boolean;
  disableSignupWithoutLink: boolean;
  noBrowser: boolean;
  /** Instance secret given by the environment (needed when several servers share one PostgreSQL). */
  secretKey: string | undefined;
  /** Web session limits (Label Studio's MAX_SESSION_AGE, MAX_TIME_BETWEEN_ACTIVITY), seconds. */
  sessionMaxAgeSeconds: number;
  sessionInactivitySeconds: number;
  /** Session and CSRF cookies only over HTTPS (SESSION_COOKIE_SECURE). */
  secureCookies: boolean;
}

type Env = Record<string, string | undefined>;

/** Label Studio's lookup order: LABEL_STUDIO_<NAME>, then HEARTEX_<NAME>. */
export function getEnv(env: Env, name: string): string | undefined {
  for (const key of [`LABEL_STUDIO_${name}`, `HEARTEX_${name}`]) {
    const value = env[key];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'not', 'off', '0']);

/** Parses Label Studio's boolean words; `undefined` when the value is not one of them. */
export function parseBool(value: string): boolean | undefined {
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** The default data directory: XDG on Linux, Application Support on macOS, never Label Studio's own. */
export function defaultDataDir(env: Env): string {
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Application Support', 'label-studio-accounts');
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.local', 'share');
  return join(base, 'label-studio-accounts');
}

/** Builds the database URL from DATABASE_URL, Label Studio's POSTGRE_* variables, or the SQLite file. */
function resolveDatabaseUrl(options: CliOptions, env: Env, dataDir: string, problems: string[]): string {
  const url = env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url) && !url.startsWith('sqlite:')) {
      problems.push(`DATABASE_URL must start with postgres:// or sqlite: (got "${url.split(':')[0]}:…")`);
    }
    return url;
  }
  const djangoDb = env.DJANGO_DB;
  if (djangoDb === 'default' || djangoDb === 'postgresql') {
    const user = encodeURIComponent(env.POSTGRE_USER ?? 'postgres');
    const password = env.POSTGRE_PASSWORD ? `:${encodeURIComponent(env.POSTGRE_PASSWORD)}` : '';
    const host = env.POSTGRE_HOST ?? 'localhost';
    const port = env.POSTGRE_PORT ?? '5432';
    const name = encodeURIComponent(env.POSTGRE_NAME ?? 'postgres');
    if (!/^\d+$/.test(port)) problems.push(`POSTGRE_PORT must be a number (got "${port}")`);
    // A host that is a directory means a Unix socket, which libpq takes as the `host` parameter.
    if (host.startsWith('/')) return `postgres://${user}${password}@localhost:${port}/${name}?host=${encodeURIComponent(host)}`;
    return `postgres://${user}${password}@${host}:${port}/${name}`;
  }
  if (djangoDb && djangoDb !== 'sqlite') problems.push(`DJANGO_DB must be "sqlite" or "default" (got "${djangoDb}")`);
  const file = options.database ?? env.DATABASE_NAME;
  return `sqlite:${file ? resolve(file) : join(dataDir, 'label_studio_accounts.sqlite3')}`;
}

function resolvePort(options: CliOptions, env: Env, problems: string[]): number {
  const raw = options.port ?? getEnv(env, 'PORT') ?? env.PORT;
  if (raw === undefined) return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`port must be a whole number from 1 to 65535 (got "${raw}")`);
    return 8080;
  }
  return port;
}

function resolveSeconds(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    problems.push(`${name} must be a whole number of seconds (got "${raw}")`);
    return fallback;
  }
  return value;
}

function resolveBool(env: Env, name: string, problems: string[]): boolean {
  const raw = getEnv(env, name);
  if (raw === undefined) return false;
  const value = parseBool(raw);
  if (value === undefined) problems.push(`LABEL_STUDIO_${name} must be true/false, yes/no, on/off or 1/0 (got "${raw}")`);
  return value ?? false;
}

/** Resolves the whole configuration at once; every problem is reported together in one error. */
export function resolveConfig(options: CliOptions, env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const dataDirRaw = options.dataDir ?? getEnv(env, 'BASE_DATA_DIR');
  const dataDir = dataDirRaw ? resolve(dataDirRaw) : defaultDataDir(env);
  const logLevelRaw = (options.logLevel ?? env.LOG_LEVEL ?? 'WARNING').toUpperCase();
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) {
    problems.push(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);
  }
  const config: AppConfig = {
    dataDir,
    databaseUrl: resolveDatabaseUrl(options, env, dataDir, problems),
    logLevel: LOG_LEVELS.includes(logLevelRaw as LogLevel) ? (logLevelRaw as LogLevel) : 'WARNING',
    port: resolvePort(options, env, problems),
    host: options.host ?? getEnv(env, 'HOST') ?? '',
    internalHost: options.internalHost ?? '0.0.0.0',
    username: options.username ?? getEnv(env, 'USERNAME') ?? '',
    password: options.password ?? getEnv(env, 'PASSWORD') ?? '',
    userToken: options.userToken ?? getEnv(env, 'USER_TOKEN') ?? '',
    enableLegacyApiToken: options.enableLegacyApiToken === true || resolveBool(env, 'ENABLE_LEGACY_API_TOKEN', problems),
    disableSignupWithoutLink: resolveBool(env, 'DISABLE_SIGNUP_WITHOUT_LINK', problems),
    noBrowser: options.noBrowser === true,
    secretKey: env.SECRET_KEY || undefined,
    sessionMaxAgeSeconds: resolveSeconds(env, 'MAX_SESSION_AGE', 14 * 24 * 3600, problems),
    sessionInactivitySeconds: resolveSeconds(env, 'MAX_TIME_BETWEEN_ACTIVITY', 5 * 24 * 3600, problems),
    secureCookies: env.SESSION_COOKIE_SECURE !== undefined && parseBool(env.SESSION_COOKIE_SECURE) === true,
  };
  if (problems.length > 0) {
    throw new AppError('config_error', 400, `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}
