import type { MailMessage, MailTransport } from '#src/ports/mailer.port.js';

/** A mail transport that keeps what it was given: the test double the mailer port allows (SMTP comes later). */
export class RecordingMailTransport implements MailTransport {
  readonly delivered: Array<MailMessage & { from: string }> = [];
  /** Deliveries to refuse before accepting again (a mail server that is down). */
  failNext = 0;

  async deliver(message: MailMessage & { from: string }): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('mail server unavailable');
    }
    this.delivered.push(message);
  }
}
