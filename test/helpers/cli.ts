import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `label-studio` binary, run as a user would. */
export const CLI_PATH = fileURLToPath(new URL('../../../bin/label-studio.cjs', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion with the given environment additions and optional piped input. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], {
    encoding: 'utf8',
    env: { ...cleanEnv(), ...env },
    input: input ?? '',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The environment without variables that would change the CLI's behaviour under test. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(LABEL_STUDIO_|HEARTEX_|DATABASE_URL$|DJANGO_DB$|POSTGRE_|SECRET_KEY$|PORT$)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/**
 * Runs the CLI inside a pseudo-terminal (util-linux `script`), answering each prompt when it appears.
 * Returns everything the terminal showed.
 */
export async function runCliInTerminal(
  args: string[],
  env: Record<string, string>,
  answers: Array<{ prompt: string; reply: string }>,
): Promise<CliResult> {
  const command = [process.execPath, CLI_PATH, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...cleanEnv(), ...env } });
  let screen = '';
  let stderr = '';
  let next = 0;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  child.stdout.on('data', (chunk: string) => {
    screen += chunk;
    const answer = answers[next];
    if (answer && screen.includes(answer.prompt, screenOffset(screen, answers, next))) {
      next += 1;
      // A short pause lets the program switch the terminal mode before the keys arrive, as a person would.
      setTimeout(() => child.stdin.write(`${answer.reply}\r`), 150);
    }
  });
  const status = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { status, stdout: screen, stderr };
}

/** Where to look for the next prompt: after the previous one, so a repeated prompt is not matched twice. */
function screenOffset(screen: string, answers: Array<{ prompt: string }>, index: number): number {
  if (index === 0) return 0;
  const previous = answers[index - 1];
  return previous ? screen.indexOf(previous.prompt) + previous.prompt.length : 0;
}
