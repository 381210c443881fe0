/**
 * Line input for the CLI's prompts. In a terminal, hidden prompts switch to raw mode and echo nothing;
 * from a pipe, each prompt takes the next line.
 */
export class Prompter {
  #buffer = '';
  #ended = false;
  #waiter: (() => void) | undefined;
  #attached = false;

  constructor(
    private readonly input: NodeJS.ReadStream = process.stdin,
    private readonly output: NodeJS.WriteStream = process.stdout,
  ) {}

  #attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    this.input.setEncoding('utf8');
    this.input.on('data', (chunk: string) => {
      this.#buffer += chunk;
      this.#waiter?.();
    });
    this.input.on('end', () => {
      this.#ended = true;
      this.#waiter?.();
    });
  }

  /** Asks a question with visible input. */
  ask(question: string): Promise<string> {
    return this.#read(question, false);
  }

  /** Asks for a secret: nothing typed is echoed. */
  askHidden(question: string): Promise<string> {
    return this.#read(question, true);
  }

  async #read(question: string, hidden: boolean): Promise<string> {
    this.#attach();
    const tty = this.input.isTTY === true;
    this.output.write(question);
    if (tty) this.input.setRawMode(true);
    this.input.resume();
    let typed = '';
    try {
      for (;;) {
        while (this.#buffer.length > 0) {
          const ch = this.#buffer[0] ?? '';
          this.#buffer = this.#buffer.slice(1);
          if (ch === '\r' || ch === '\n') {
            // A CRLF pair counts as one line end.
            if (ch === '\r' && this.#buffer.startsWith('\n')) this.#buffer = this.#buffer.slice(1);
            if (tty || hidden) this.output.write('\n');
            return typed;
          }
          if (tty && ch === '\u0003') {
            this.output.write('\n');
            process.exit(130);
          }
          if (tty && ch === '\u0004') {
            this.output.write('\n');
            return typed;
          }
          if (tty && (ch === '\u007f' || ch === '\b')) {
            if (typed.length > 0) {
              typed = typed.slice(0, -1);
              if (!hidden) this.output.write('\b \b');
            }
            continue;
          }
          typed += ch;
          if (tty && !hidden) this.output.write(ch);
        }
        if (this.#ended) {
          if (hidden) this.output.write('\n');
          return typed;
        }
        await new Promise<void>((resolve) => {
          this.#waiter = resolve;
        });
        this.#waiter = undefined;
      }
    } finally {
      if (tty) this.input.setRawMode(false);
      this.input.pause();
    }
  }
}
