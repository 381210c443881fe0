import type { Tx } from '#src/services/unit-of-work.js';

/** One e-mail, in plain text and optionally HTML. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends mail as part of a use case: the message is written to the outbox in the use case's transaction and sent
 * after it commits, so a rolled-back change sends nothing and a crash after the commit loses nothing.
 */
export interface Mailer {
  /** False when no way to send mail is configured: features that need mail say to ask an administrator. */
  readonly enabled: boolean;
  send(tx: Tx, message: MailMessage): Promise<void>;
}

/** The wire: hands one message to a mail server (SMTP), or records it (tests). Throws when it could not. */
export interface MailTransport {
  deliver(message: MailMessage & { from: string }): Promise<void>;
  /** Releases connections (the server is shutting down). */
  close?(): Promise<void>;
}
