import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { SmtpConfig } from '#src/config.js';
import { tempDir } from './databases.js';

/** A message as the test SMTP server received it, parsed like a mail client would. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Was the session encrypted (STARTTLS or implicit TLS)? */
  secure: boolean;
  /** The user the client authenticated as, if it did. */
  user: string | undefined;
}

export interface SmtpTestServerOptions {
  /** Require this login. */
  auth?: { user: string; pass: string };
  /** `tls`: implicit TLS from the first byte; `starttls`: offered and required before AUTH; `none`: plain only. */
  security?: SmtpConfig['security'];
}

export interface SmtpTestServer {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** Messages to refuse (with a temporary 451) before accepting again: a relay that is having trouble. */
  refuseNext: number;
  /** The certificate the server presents (trust it with `tls: { ca }`). */
  certificate: string;
  /** The configuration that points at this server. */
  config(overrides?: Partial<SmtpConfig>): SmtpConfig;
  /** Resolves once `count` messages arrived (or fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

let certificate: { key: string; cert: string } | undefined;

/** A self-signed certificate for localhost/127.0.0.1, made once per test process with openssl. */
function testCertificate(): { key: string; cert: string } {
  if (certificate) return certificate;
  const dir = tempDir('lsa-smtp-cert-');
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  certificate = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  return certificate;
}

/** A real SMTP server (the `smtp-server` package) on a loopback port, in this process, keeping what it receives. */
export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const security = options.security ?? 'none';
  const tls = testCertificate();
  const received: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  const state = { refuseNext: 0 };
  const serverOptions: SMTPServerOptions = {
    secure: security === 'tls',
    key: tls.key,
    cert: tls.cert,
    authOptional: options.auth === undefined,
    disabledCommands: [...(options.auth ? [] : ['AUTH']), ...(security === 'starttls' ? [] : ['STARTTLS'])],
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (state.refuseNext > 0) {
          state.refuseNext -= 1;
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        }
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push({
            from: mail.from?.text ?? '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            secure: session.secure,
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          for (const wake of waiters.splice(0)) wake();
          callback();
        }, callback);
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    host: '127.0.0.1',
    port,
    received,
    get refuseNext() {
      return state.refuseNext;
    },
    set refuseNext(value: number) {
      state.refuseNext = value;
    },
    certificate: tls.cert,
    config: (overrides = {}) => ({ host: '127.0.0.1', port, user: options.auth?.user ?? '', password: options.auth?.pass ?? '', security, timeoutSeconds: 5, ...overrides }),
    waitFor: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} messages, the SMTP server received ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a message's text that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const match = mail.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!match) throw new Error(`no link starting with ${prefix} in:\n${mail.text}`);
  return match;
}
