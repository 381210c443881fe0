import { nowIso, type Clock } from '#src/clock.js';
import { AppError } from '#src/errors.js';
import type { Logger } from '#src/ports/logger.port.js';
import type { MailMessage, Mailer, MailTransport } from '#src/ports/mailer.port.js';
import type { Repositories } from '#src/repositories/index.js';
import type { Tx } from '#src/services/unit-of-work.js';

/** How long a sender may hold a message before another server may take it over (it crashed mid-send). */
const LEASE_MS = 2 * 60_000;
/** Deliveries tried per message before it stays in the outbox with its last error. */
export const MAX_MAIL_ATTEMPTS = 8;
/** Retries back off: 30 s, 1 min, 2 min … capped at one hour. */
const backoffMs = (attempts: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
/** Due messages are looked for this often even when nothing was sent here (retries, other servers' crashes). */
const POLL_MS = 30_000;

/**
 * The mailer: use cases write messages to the outbox inside their transaction; after the commit, and on a timer,
 * due messages are leased one at a time and delivered through the transport. Several servers on one database each
 * run this loop; the lease makes sure each message is delivered once.
 */
export class OutboxMailer implements Mailer {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** A wake-up arrived while a run was going: its message may have committed after the run last looked. */
  #again = false;
  #stopped = false;

  constructor(
    private readonly repos: Repositories,
    private readonly transport: MailTransport | undefined,
    private readonly from: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  async send(tx: Tx, message: MailMessage): Promise<void> {
    if (!this.transport) throw new AppError('mail.not_configured', 'Sending e-mail is not configured on this server. Ask an administrator.');
    const now = nowIso(this.clock);
    await tx.repos.mailOutbox.insert({
      recipient: message.to,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html ?? null,
      created_at: now,
      next_attempt_at: now,
      claimed_until: null,
      sent_at: null,
      last_error: null,
    });
    tx.afterCommit(async () => void this.flush());
  }

  /**
   * Delivers every due message; resolves when the outbox has nothing due. One run at a time per process: a wake-up
   * during a run makes it look once more before it ends, so a message committed meanwhile is not left to the timer.
   */
  flush(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = async (): Promise<void> => {
      do {
        this.#again = false;
        await this.#deliverDue();
      } while (this.#again && !this.#stopped);
    };
    this.#running = run()
      .catch((error: unknown) => this.logger.error({ err: error }, 'mail outbox run failed'))
      .finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Starts the drainer: due messages are looked for now and every 30 s (the server does; one-shot CLI commands do not). */
  start(): void {
    if (!this.transport || this.#timer) return;
    this.#stopped = false;
    this.#timer = setInterval(() => void this.flush(), POLL_MS);
    this.#timer.unref();
    void this.flush();
  }

  /**
   * Stops the drainer: no new run starts, the message being handed over finishes (its lease would otherwise hold it
   * back for two minutes), then the transport's connections close.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    await this.transport?.close?.();
  }

  async #deliverDue(): Promise<void> {
    const transport = this.transport;
    if (!transport) return;
    while (!this.#stopped) {
      const now = this.clock.now();
      const message = await this.repos.mailOutbox.claimNext(now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString());
      if (!message) return;
      try {
        await transport.deliver({
          from: this.from,
          to: message.recipient,
          subject: message.subject,
          text: message.text_body,
          ...(message.html_body === null ? {} : { html: message.html_body }),
        });
        await this.repos.mailOutbox.markSent(message.id, nowIso(this.clock));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const retryAt = message.attempts >= MAX_MAIL_ATTEMPTS ? null : new Date(this.clock.now().getTime() + backoffMs(message.attempts)).toISOString();
        await this.repos.mailOutbox.markFailed(message.id, reason, retryAt);
        this.logger.warn({ outboxId: message.id, attempts: message.attempts }, `mail delivery failed: ${reason}`);
      }
    }
  }
}
