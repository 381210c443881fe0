import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import type { CliOptions } from '#src/config.js';
import { openContext } from '#src/cli/cli-context.js';
import { bootstrapUser } from '#src/cli/bootstrap-user.js';
import { getEnv } from '#src/config.js';

export interface StartOptions extends CliOptions {
  init?: boolean;
}

function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  process.stdout.write(`Start browser at URL: ${url}\n`);
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser here (a server): the URL above is enough.
  }
}

/** `label-studio start`: bootstrap user when asked, then the HTTP server until SIGINT/SIGTERM. */
export async function startCommand(options: StartOptions): Promise<number> {
  // A server keeps few objects alive from one request to the next, so V8's young generation, left to grow to 32 MB,
  // only holds more garbage between collections. Kept at its starting size, before the server loads: ~25 MB less
  // resident memory, and no throughput lost (measured on whoami and the member list; README, Performance).
  setFlagsFromString('--semi-space-growth-factor=1');
  const ctx = await openContext(options);
  const envCredentials = getEnv(process.env, 'USERNAME') !== undefined && getEnv(process.env, 'PASSWORD') !== undefined;
  if (options.init || options.username !== undefined || envCredentials) await bootstrapUser(ctx, !process.stdin.isTTY, 'start');

  // The server's modules load only here, so `user` and `reset_password` start fast.
  const [{ createApp }, { findFreePort, busyPortWarning, closeOnSignals }] = await Promise.all([
    import('#src/http/app.js'),
    import('#src/http/server.js'),
  ]);
  const { internalHost, port: wanted, host, noBrowser } = ctx.config.server;
  const port = await findFreePort(wanted, internalHost);
  if (port !== wanted) process.stdout.write(busyPortWarning(wanted, port));
  const app = await createApp(ctx);
  // Before the ready line: a supervisor may stop the server the moment it reads it.
  closeOnSignals(app, () => ctx.close());
  await app.listen({ port, host: internalHost });
  const url = host || `http://localhost:${port}`;
  process.stdout.write(`Label Studio accounts server is running at ${url} (listening on ${internalHost}:${port}). Quit with CTRL+C.\n`);
  if (!noBrowser) openBrowser(url);
  // The outbox drainer: mail left in the outbox (by this server before a restart, or by another one that crashed) goes
  // out from here too; it stops with the server (ctx.close), after the message in hand.
  ctx.mailer.start();
  if (ctx.config.mail.smtp) {
    const { host: smtpHost, port: smtpPort, security } = ctx.config.mail.smtp;
    process.stdout.write(`Sending e-mail through ${smtpHost}:${smtpPort} (${security === 'none' ? 'no TLS' : security.toUpperCase()}).\n`);
  } else {
    process.stdout.write('E-mail is not configured (EMAIL_HOST): password resets and invitations by e-mail are off.\n');
  }
  // The activity log keeps entries for the retention period (if one is set), and used-up reset links go: now and every hour.
  const purge = (): void => {
    void ctx.services.activityLog.purge().catch((error: unknown) => process.stderr.write(`Activity log purge failed: ${String(error)}\n`));
    void ctx.services.passwordResets.purgeExpired().catch((error: unknown) => process.stderr.write(`Reset link purge failed: ${String(error)}\n`));
  };
  purge();
  setInterval(purge, 3_600_000).unref();
  return new Promise<number>(() => undefined);
}
