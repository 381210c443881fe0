import type { Command } from 'commander';
import type { CliOptions } from '#src/config.js';

/** What commander hands every command: the root options (CliOptions, `--no-browser` as `browser`) and its own. */
export type ParsedOptions<Own = object> = Omit<CliOptions, 'noBrowser'> & { browser?: boolean } & Own;

/** A command's body: its options (global ones merged in), its positional arguments; answers the exit code. */
export type Handler<Own = object> = (options: ParsedOptions<Own> & CliOptions, args: string[]) => Promise<number> | number;

/** Adapts a handler to commander's action signature and sets the exit code it answers. */
export function run<Own = object>(handler: Handler<Own>) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const positional = args.slice(0, -2).filter((a): a is string => typeof a === 'string');
    const parsed = command.optsWithGlobals<ParsedOptions<Own>>();
    process.exitCode = await handler({ ...parsed, noBrowser: parsed.browser === false }, positional);
  };
}
