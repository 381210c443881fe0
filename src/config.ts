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
  /** `start`'s mail flags (Django's EMAIL_* settings); the password only from the environment. */
  emailHost?: string;
  emailPort?: string;
  emailHostUser?: string;
  emailUseTls?: boolean;
  emailUseSsl?: boolean;
  emailTimeout?: string;
  fromEmail?: string;
}

/** Where the database is and how many connections a server process may hold. */
export interface DatabaseConfig {
  /** `sqlite:<absolute file>` or `postgres://…`; only the database factory interprets the scheme. */
  url: string;
  /** PostgreSQL connections per process (DATABASE_POOL_SIZE); SQLite always uses one. */
  poolSize: number;
}

export interface ServerConfig {
  port: number;
  /** Public base URL (`--host`), used in links; empty means relative links. */
  host: string;
  internalHost: string;
  noBrowser: boolean;
  /** Proxies whose X-Forwarded-For/-Proto are believed (LABEL_STUDIO_TRUSTED_PROXIES: addresses or CIDRs). */
  trustedProxies: string[];
}

/** The start-up user of `init`/`start`. */
export interface BootstrapConfig {
  username: string;
  password: string;
  userToken: string;
}

export interface SecurityConfig {
  /** Instance secret given by the environment (needed when several servers share one PostgreSQL). */
  secretKey: string | undefined;
  /** Legacy `Token` keys allowed in every organization created by this process (sign-up, start-up user). */
  enableLegacyApiToken: boolean;
  disableSignupWithoutLink: boolean;
  /** Members may create organizations of their own (LABEL_STUDIO_ALLOW_ORGANIZATION_CREATION). */
  allowOrganizationCreation: boolean;
  /** Days the activity log keeps entries (LABEL_STUDIO_ACTIVITY_LOG_RETENTION_DAYS); 0 keeps them all. */
  activityLogRetentionDays: number;
}

export interface SessionConfig {
  /** Web session limits (Label Studio's MAX_SESSION_AGE, MAX_TIME_BETWEEN_ACTIVITY), seconds. */
  maxAgeSeconds: number;
  inactivitySeconds: number;
  /** Session and CSRF cookies only over HTTPS (SESSION_COOKIE_SECURE); also set for HTTPS requests via a trusted proxy. */
  secureCookies: boolean;
}

/** How mail leaves this server: an SMTP relay, configured with Django's EMAIL_* names. */
export interface SmtpConfig {
  host: string;
  port: number;
  /** Empty: no authentication. */
  user: string;
  password: string;
  /** `starttls` (EMAIL_USE_TLS, required), `tls` (EMAIL_USE_SSL, implicit TLS) or `none` (plain, as Django without either). */
  security: 'starttls' | 'tls' | 'none';
  timeoutSeconds: number;
}

export interface MailConfig {
  /** Sender of every message (FROM_EMAIL). */
  from: string;
  /** Undefined when EMAIL_HOST is not set: features that need mail say to ask an administrator. */
  smtp: SmtpConfig | undefined;
  /** Seconds a password-reset link works (PASSWORD_RESET_TIMEOUT, Django's name). */
  passwordResetSeconds: number;
  /** Days an e-mail invitation may be accepted (LABEL_STUDIO_INVITE_EXPIRY_DAYS). */
  inviteExpiryDays: number;
}

export interface FilesConfig {
  /** Where avatars live: `local` (the data directory) or `database` (shared by every server on one PostgreSQL). */
  store: 'local' | 'database';
}

export interface AppConfig {
  dataDir: string;
  logLevel: LogLevel;
  database: DatabaseConfig;
  server: ServerConfig;
  bootstrap: BootstrapConfig;
  security: SecurityConfig;
  sessions: SessionConfig;
  mail: MailConfig;
  files: FilesConfig;
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

function resolveDays(env: Env, name: string, problems: string[]): number {
  const raw = getEnv(env, name);
  if (raw === undefined) return 0;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0) {
    problems.push(`LABEL_STUDIO_${name} must be a whole number of days, 0 to keep everything (got "${raw}")`);
    return 0;
  }
  return days;
}

function resolvePoolSize(env: Env, problems: string[]): number {
  const raw = env.DATABASE_POOL_SIZE;
  if (raw === undefined || raw === '') return 10;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    problems.push(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "${raw}")`);
    return 10;
  }
  return size;
}

/** Addresses or CIDR ranges, comma-separated; each checked enough to catch typos. */
function resolveTrustedProxies(env: Env, problems: string[]): string[] {
  const raw = getEnv(env, 'TRUSTED_PROXIES');
  if (!raw) return [];
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry)) problems.push(`LABEL_STUDIO_TRUSTED_PROXIES: "${entry}" is not an address or CIDR range`);
  }
  return entries;
}

function resolveFileStore(env: Env, problems: string[]): FilesConfig['store'] {
  const raw = getEnv(env, 'FILE_STORE');
  if (raw === undefined || raw === 'local' || raw === 'database') return raw ?? 'local';
  problems.push(`LABEL_STUDIO_FILE_STORE must be "local" or "database" (got "${raw}")`);
  return 'local';
}

/** Django's e-mail settings: the bare name, or with Label Studio's prefixes. */
function emailEnv(env: Env, name: string): string | undefined {
  return getEnv(env, name) ?? (env[name] || undefined);
}

function resolveWhole(raw: string | undefined, name: string, fallback: number, range: [number, number], problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range[0] || value > range[1]) {
    problems.push(`${name} must be a whole number from ${range[0]} to ${range[1]} (got "${raw}")`);
    return fallback;
  }
  return value;
}

function flagOrBool(flag: boolean | undefined, env: Env, name: string, problems: string[]): boolean {
  if (flag) return true;
  const raw = emailEnv(env, name);
  if (raw === undefined) return false;
  const value = parseBool(raw);
  if (value === undefined) problems.push(`${name} must be true/false, yes/no, on/off or 1/0 (got "${raw}")`);
  return value ?? false;
}

/** SMTP from `start`'s flags and EMAIL_* variables; none without a host. Links in mail need the public URL (--host). */
function resolveSmtp(options: CliOptions, env: Env, publicHost: string, problems: string[]): SmtpConfig | undefined {
  const host = options.emailHost ?? emailEnv(env, 'EMAIL_HOST');
  const useTls = flagOrBool(options.emailUseTls, env, 'EMAIL_USE_TLS', problems);
  const useSsl = flagOrBool(options.emailUseSsl, env, 'EMAIL_USE_SSL', problems);
  if (!host) return undefined;
  if (useTls && useSsl) problems.push('EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (implicit TLS) are mutually exclusive: set one');
  // Never the request's Host header: a forged one would send reset and invitation links to another site.
  if (!publicHost) problems.push('EMAIL_HOST is set but the public URL is not: set --host or LABEL_STUDIO_HOST (links in e-mails use it)');
  const security = useSsl ? 'tls' : useTls ? 'starttls' : 'none';
  return {
    host,
    port: resolveWhole(options.emailPort ?? emailEnv(env, 'EMAIL_PORT'), 'EMAIL_PORT', security === 'tls' ? 465 : security === 'starttls' ? 587 : 25, [1, 65535], problems),
    user: options.emailHostUser ?? emailEnv(env, 'EMAIL_HOST_USER') ?? '',
    password: emailEnv(env, 'EMAIL_HOST_PASSWORD') ?? '',
    security,
    timeoutSeconds: resolveWhole(options.emailTimeout ?? emailEnv(env, 'EMAIL_TIMEOUT'), 'EMAIL_TIMEOUT', 30, [1, 600], problems),
  };
}

function resolveMail(options: CliOptions, env: Env, publicHost: string, problems: string[]): MailConfig {
  return {
    from: options.fromEmail || env.FROM_EMAIL || getEnv(env, 'FROM_EMAIL') || 'Label Studio <noreply@localhost>',
    smtp: resolveSmtp(options, env, publicHost, problems),
    passwordResetSeconds: resolveWhole(emailEnv(env, 'PASSWORD_RESET_TIMEOUT'), 'PASSWORD_RESET_TIMEOUT', 3600, [60, 7 * 24 * 3600], problems),
    inviteExpiryDays: resolveWhole(getEnv(env, 'INVITE_EXPIRY_DAYS'), 'LABEL_STUDIO_INVITE_EXPIRY_DAYS', 7, [1, 365], problems),
  };
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
  const publicHost = options.host ?? getEnv(env, 'HOST') ?? '';
  const config: AppConfig = {
    dataDir,
    logLevel: LOG_LEVELS.includes(logLevelRaw as LogLevel) ? (logLevelRaw as LogLevel) : 'WARNING',
    database: { url: resolveDatabaseUrl(options, env, dataDir, problems), poolSize: resolvePoolSize(env, problems) },
    server: {
      port: resolvePort(options, env, problems),
      host: publicHost,
      internalHost: options.internalHost ?? '0.0.0.0',
      noBrowser: options.noBrowser === true,
      trustedProxies: resolveTrustedProxies(env, problems),
    },
    bootstrap: {
      username: options.username ?? getEnv(env, 'USERNAME') ?? '',
      password: options.password ?? getEnv(env, 'PASSWORD') ?? '',
      userToken: options.userToken ?? getEnv(env, 'USER_TOKEN') ?? '',
    },
    security: {
      secretKey: env.SECRET_KEY || undefined,
      enableLegacyApiToken: options.enableLegacyApiToken === true || resolveBool(env, 'ENABLE_LEGACY_API_TOKEN', problems),
      disableSignupWithoutLink: resolveBool(env, 'DISABLE_SIGNUP_WITHOUT_LINK', problems),
      allowOrganizationCreation: getEnv(env, 'ALLOW_ORGANIZATION_CREATION') === undefined || resolveBool(env, 'ALLOW_ORGANIZATION_CREATION', problems),
      activityLogRetentionDays: resolveDays(env, 'ACTIVITY_LOG_RETENTION_DAYS', problems),
    },
    sessions: {
      maxAgeSeconds: resolveSeconds(env, 'MAX_SESSION_AGE', 14 * 24 * 3600, problems),
      inactivitySeconds: resolveSeconds(env, 'MAX_TIME_BETWEEN_ACTIVITY', 5 * 24 * 3600, problems),
      secureCookies: env.SESSION_COOKIE_SECURE !== undefined && parseBool(env.SESSION_COOKIE_SECURE) === true,
    },
    mail: resolveMail(options, env, publicHost, problems),
    files: { store: resolveFileStore(env, problems) },
  };
  if (problems.length > 0) {
    throw new AppError('config.invalid', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}
