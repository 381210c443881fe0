/** Prints one JSON value on one line: what `--json` promises scripts (stdout holds nothing else). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
