import type { ConnectionOptions } from 'node:tls';
import type { Transporter } from 'nodemailer';
import type { SmtpConfig } from '#src/config.js';
import type { MailMessage, MailTransport } from '#src/ports/mailer.port.js';

/**
 * Hands messages to an SMTP relay with nodemailer: STARTTLS required (EMAIL_USE_TLS), implicit TLS (EMAIL_USE_SSL)
 * or plain, with or without authentication. nodemailer is loaded at the first delivery, so commands that never send
 * mail (every CLI command but `start`) do not pay for it. One pooled connection is reused between messages.
 */
export class SmtpMailTransport implements MailTransport {
  #transporter: Promise<Transporter> | undefined;

  constructor(
    private readonly config: SmtpConfig,
    /** Extra TLS settings (a private CA in tests); operators add CAs with NODE_EXTRA_CA_CERTS. */
    private readonly tls: ConnectionOptions = {},
  ) {}

  async deliver(message: MailMessage & { from: string }): Promise<void> {
    const transporter = await this.#connect();
    await transporter.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html === undefined ? {} : { html: message.html }),
    });
  }

  /** Closes the pooled connection (the server is shutting down). */
  async close(): Promise<void> {
    const pending = this.#transporter;
    this.#transporter = undefined;
    if (pending) (await pending).close();
  }

  #connect(): Promise<Transporter> {
    this.#transporter ??= import('nodemailer').then(({ default: nodemailer }) => {
      const { host, port, user, password, security, timeoutSeconds } = this.config;
      const timeout = timeoutSeconds * 1000;
      return nodemailer.createTransport({
        pool: true,
        maxConnections: 1,
        host,
        port,
        secure: security === 'tls',
        requireTLS: security === 'starttls',
        ignoreTLS: security === 'none',
        ...(user ? { auth: { user, pass: password } } : {}),
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        tls: this.tls,
        // Never log message bodies: they carry reset and invitation links.
        logger: false,
        debug: false,
      });
    });
    return this.#transporter;
  }
}
