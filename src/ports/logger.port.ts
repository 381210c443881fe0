/** Where the product writes what an operator should know; pino's call shape, so Fastify's logger fits. */
export interface Logger {
  error(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

/** A logger that writes one line per entry to stderr (the CLI, and the server before Fastify's logger exists). */
export const stderrLogger: Logger = {
  error: (details, message) => process.stderr.write(`ERROR ${message}${describe(details)}\n`),
  warn: (details, message) => process.stderr.write(`WARNING ${message}${describe(details)}\n`),
  info: () => undefined,
};

function describe(details: Record<string, unknown>): string {
  const err = details.err;
  return err instanceof Error ? `: ${err.message}` : '';
}
