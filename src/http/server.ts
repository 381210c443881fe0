import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** True when nothing listens on host:port. */
function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.once('listening', () => probe.close(() => resolve(true)));
    probe.listen(port, host);
  });
}

/** Finds the first free port from `start` upward, as Label Studio does (it gives up after 1000). */
export async function findFreePort(start: number, host: string): Promise<number> {
  for (let port = start; port < start + 1000 && port <= 65535; port += 1) {
    if (await isPortFree(port, host)) return port;
  }
  throw new Error(`No free port found from ${start} to ${Math.min(start + 999, 65535)}`);
}

/** Label Studio's busy-port warning, word for word. */
export function busyPortWarning(oldPort: number, newPort: number): string {
  return `\n*** WARNING! ***\n* Port ${oldPort} is in use.\n* Trying to start at ${newPort}\n****************\n\n`;
}

/** Stops the server cleanly on SIGINT/SIGTERM, then runs `onClosed`. */
export function closeOnSignals(app: FastifyInstance, onClosed: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    process.stdout.write(`\nReceived ${signal}, shutting down\n`);
    void app
      .close()
      .then(onClosed)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Error while shutting down: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
