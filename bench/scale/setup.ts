/**
 * The scale bench's fixture: a database of the chosen kind and size made by the built CLI (`init`) and the seeder, a
 * second organization of 1,000 members, legacy tokens for the first seeded users, and the server (`label-studio
 * start`) next to a bare `node:http` JSON endpoint as the baseline.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { SecretBox } from '../../src/auth/secret-box.js';
import { hashPassword } from '../../src/auth/password-hasher.js';
import { CLI_PATH, cleanEnv } from '../../test/helpers/cli.js';
import { freePort, startServerProcess, type ServerProcess } from '../../test/helpers/server-process.js';
import { tempDir, type DatabaseKind } from '../../test/helpers/databases.js';
import { addOrganization, seedPostgres, seedSqlite, SEED_PASSWORD, type SeedShape, type SeedToken } from '../members-seed.js';

export const SECRET_KEY = 'bench-secret-key-0123456789abcdef0123456789';
export const OWNER = { email: 'owner@bench.example', password: 'owner-password-1' };
/** Seeded users that get a legacy token (whoami is driven as many different users, as in real use). */
export const TOKEN_USERS = 200;
export const SMALL_ORG_MEMBERS = 1_000;

export interface Fixture {
  kind: DatabaseKind;
  dataDir: string;
  databaseUrl: string;
  env: Record<string, string>;
  ownerToken: string;
  largeOrg: number;
  smallOrg: number;
  /** Id of the first seeded user of the large organization is base + 1. */
  base: number;
  /** Legacy keys of seeded users base+1 … base+TOKEN_USERS. */
  userKeys: string[];
  seedSeconds: number;
}

const keyOf = (index: number) => `b${index.toString(16).padStart(39, '0')}`;

function runCli(args: string[], env: Record<string, string>): string {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], { env: { ...cleanEnv(), ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`label-studio ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

async function freshPostgres(admin: string): Promise<string> {
  const name = `lsa_bench_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function prepare(kind: DatabaseKind, shape: SeedShape, adminUrl: string | undefined): Promise<Fixture> {
  const dataDir = tempDir('lsa-scale-bench-');
  const databaseUrl = kind === 'sqlite' ? `sqlite:${join(dataDir, 'label_studio_accounts.sqlite3')}` : await freshPostgres(adminUrl ?? '');
  const env = { SECRET_KEY, DATABASE_URL: databaseUrl, LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN: 'true' };
  runCli(['init', '--data-dir', dataDir, '--username', OWNER.email, '--password', OWNER.password, '-q'], env);
  const ownerToken = (JSON.parse(runCli(['user', '--data-dir', dataDir, '--username', OWNER.email, '--json'], env)) as { token: string }).token;
  const box = new SecretBox(SECRET_KEY, 'legacy-token');
  const userKeys = Array.from({ length: Math.min(TOKEN_USERS, shape.users) }, (_, i) => keyOf(i + 1));
  const tokens: SeedToken[] = userKeys.map((key, i) => ({ index: i + 1, lookupHash: box.lookupHash(key), ciphertext: box.encrypt(key) }));
  const hash = await hashPassword(SEED_PASSWORD);
  const started = performance.now();
  const target = kind === 'sqlite' ? databaseUrl.slice('sqlite:'.length) : databaseUrl;
  const seed = kind === 'sqlite' ? seedSqlite : seedPostgres;
  const smallOrg = await addOrganization(kind, target, 'Small');
  await seed(target, { users: SMALL_ORG_MEMBERS, projects: 20, annotations: 10_000, prefix: 'small' }, hash, smallOrg);
  const base = await seed(target, shape, hash, 1, tokens);
  const seedSeconds = (performance.now() - started) / 1000;
  return { kind, dataDir, databaseUrl, env, ownerToken, largeOrg: 1, smallOrg, base, userKeys, seedSeconds };
}

export async function startServer(fixture: Fixture): Promise<ServerProcess & { base: string }> {
  const server = await startServerProcess(['--data-dir', fixture.dataDir, '-p', String(await freePort()), '--internal-host', '127.0.0.1', '--log-level', 'ERROR'], fixture.env);
  return Object.assign(server, { base: server.url.replace('localhost', '127.0.0.1') });
}

/** The baseline: Node's own HTTP server answering a JSON body of the same shape (serialized per request). */
export async function startBareServer(body: unknown): Promise<{ base: string; child: ChildProcess; stop(): void }> {
  const port = await freePort();
  const script = `const b=${JSON.stringify(body)};require('node:http').createServer((q,s)=>{const t=JSON.stringify(b);s.writeHead(200,{'content-type':'application/json','content-length':Buffer.byteLength(t)});s.end(t)}).listen(${port},'127.0.0.1',()=>console.log('ready'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  return { base: `http://127.0.0.1:${port}`, child, stop: () => void child.kill() };
}

/** Resident memory of a process now and its peak (kernel's VmRSS / VmHWM), MiB. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}
