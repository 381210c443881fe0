import type { ImportProgress } from '#src/services/label-studio-import.service.js';

type Write = (line: string) => void;

/** Plain lines for logs and pipes: each table's start, every tenth of the way, and its end with the time it took. */
export class LineProgress implements ImportProgress {
  readonly #tables = new Map<string, { total: number; done: number; shown: number; started: number }>();

  constructor(private readonly write: Write) {}

  start(table: string, total: number): void {
    this.#tables.set(table, { total, done: 0, shown: 0, started: Date.now() });
    this.write(`${table}: ${total} to read\n`);
  }

  advance(table: string, rows: number): void {
    const state = this.#tables.get(table);
    if (!state) return;
    state.done += rows;
    const tenth = state.total > 0 ? Math.floor((state.done / state.total) * 10) : 10;
    if (tenth > state.shown && tenth < 10) {
      state.shown = tenth;
      this.write(`${table}: ${state.done} of ${state.total}\n`);
    }
  }

  finish(table: string): void {
    const state = this.#tables.get(table);
    if (!state) return;
    this.write(`${table}: ${state.done} read in ${((Date.now() - state.started) / 1000).toFixed(1)} s\n`);
  }
}

type Bars = InstanceType<(typeof import('cli-progress'))['MultiBar']>;
type Bar = ReturnType<Bars['create']>;

/** A bar per table on a terminal (cli-progress), each staying on screen once done. */
export class BarProgress implements ImportProgress {
  readonly #bars = new Map<string, Bar>();

  private constructor(private readonly multibar: Bars) {}

  /** Loaded only when a terminal will show it: a script or a pipe never pays for it. */
  static async create(stream: NodeJS.WriteStream): Promise<BarProgress> {
    const { default: progress } = await import('cli-progress');
    const multibar = new progress.MultiBar(
      { stream, format: '{table} {bar} {percentage}% | {value}/{total} | {duration_formatted}', hideCursor: true, clearOnComplete: false, fps: 5 },
      progress.Presets.shades_classic,
    );
    return new BarProgress(multibar);
  }

  start(table: string, total: number): void {
    this.#bars.set(table, this.multibar.create(Math.max(total, 1), 0, { table: table.padEnd(22) }));
  }

  advance(table: string, rows: number): void {
    this.#bars.get(table)?.increment(rows);
  }

  finish(table: string): void {
    const bar = this.#bars.get(table);
    // A re-run reads fewer rows than the table holds (the rest came over before): the bar still ends full.
    if (bar) bar.update(bar.getTotal());
  }

  stop(): void {
    this.multibar.stop();
  }
}
