import type { ServerFixture } from './test-server.js';
import { runCli, runCliInTerminal, type CliResult } from './cli.js';

/** The built CLI run against a test server's database and data directory (same instance secret), as an operator would. */
export interface OperatorCli {
  /** Without a terminal: stdin is an empty pipe. */
  run(args: string[]): CliResult;
  /** In a pseudo-terminal, answering each prompt; the result's stdout is the whole screen (stderr included). */
  inTerminal(args: string[], answers: Array<{ prompt: string; reply: string }>): Promise<CliResult>;
}

export function operatorCli(fixture: ServerFixture, extraEnv: Record<string, string> = {}): OperatorCli {
  const where = () => ({
    args: ['--data-dir', fixture.ctx.dataDir],
    env: { DATABASE_URL: fixture.ctx.config.database.url, ...extraEnv },
  });
  return {
    run(args) {
      const { args: tail, env } = where();
      return runCli([...args, ...tail], env);
    },
    inTerminal(args, answers) {
      const { args: tail, env } = where();
      return runCliInTerminal([...args, ...tail], env, answers);
    },
  };
}

/** Parses a command's `--json` stdout, saying what came instead when it is not JSON. */
export function jsonOf<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout (status ${String(result.status)}): ${result.stdout}\nstderr: ${result.stderr}`);
  }
}
