import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { withContext } from '#src/cli/cli-context.js';
import { cliContext } from '#src/policies/action-context.js';
import type { ParsedOptions } from '#src/cli/command-runner.js';
import { printJson } from '#src/cli/json-output.js';
import type { CliOptions } from '#src/config.js';
import { presentActivityCsvHeader, presentActivityCsvRow, presentActivityEntry } from '#src/http/presenters/activity-log.presenter.js';
import { parseInstant } from '#src/http/query-values.js';
import type { ActivityLogQuery } from '#src/services/activity-log.service.js';
import { describeOrganization } from '#src/services/operator.service.js';
import type { ActivityLogRow } from '#src/storage/schema.js';

export interface AuditOptions {
  organization?: number;
  format?: 'jsonl' | 'csv';
  since?: string;
  until?: string;
  action?: string;
  output?: string;
  days?: number;
  json?: boolean;
}

type Options = ParsedOptions<AuditOptions> & CliOptions;

/** Below this many entries an export is over before a bar would mean anything. */
const PROGRESS_FROM = 1_000;

/**
 * A progress bar on stderr, for a person watching a long export: only when stderr is a terminal and the entries do
 * not scroll on that same screen (stdout a terminal too). The total is known (one COUNT when the export starts), so
 * a bar with an ETA says more than a counter would.
 */
function startProgress(total: number, toFile: boolean): cliProgress.SingleBar | undefined {
  if (total < PROGRESS_FROM || !process.stderr.isTTY || (!toFile && process.stdout.isTTY)) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'Exporting [{bar}] {percentage}% | {value}/{total} entries | ETA {eta_formatted}', hideCursor: true, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

/** Writes the lines to stdout, or to a file that appears only once complete (0600: the log names people and addresses). */
async function writeLines(lines: AsyncIterable<string>, file: string | undefined): Promise<void> {
  if (file === undefined) {
    await pipeline(Readable.from(lines), process.stdout, { end: false });
    return;
  }
  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.from(lines), createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** The rows as the HTTP export writes them: the same presenters, so the two files are byte for byte the same. */
async function* exportLines(rows: AsyncIterable<ActivityLogRow>, format: 'jsonl' | 'csv', onRow: () => void): AsyncGenerator<string> {
  if (format === 'csv') yield presentActivityCsvHeader();
  for await (const row of rows) {
    yield format === 'csv' ? presentActivityCsvRow(row) : `${JSON.stringify(presentActivityEntry(row))}\n`;
    onRow();
  }
}

/** `audit export [--format jsonl|csv] [--since] [--until] [--action] [--output FILE]`: every matching entry, streamed. */
export function auditExportCommand(options: Options): Promise<number> {
  const format = options.format ?? 'jsonl';
  const query: ActivityLogQuery = {
    actions: options.action?.split(',').map((action) => action.trim()).filter(Boolean),
    since: parseInstant(options.since, 'since'),
    until: parseInstant(options.until, 'until', true),
  };
  return withContext(options, async (ctx) => {
    const { organization, total, entries } = await ctx.services.operator.activityLogExport(options.organization, query);
    const bar = startProgress(total, options.output !== undefined);
    let written = 0;
    const onRow = (): void => {
      written += 1;
      // Entries logged while the export runs may pass the count taken at its start.
      if (written > total) bar?.setTotal(written);
      bar?.update(written);
    };
    try {
      await writeLines(exportLines(entries, format, onRow), options.output);
    } catch (error) {
      // A reader that stopped early (`| head`) is not a failure of the export.
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') return 0;
      throw error;
    } finally {
      bar?.stop();
    }
    const where = options.output === undefined ? '' : ` to ${options.output}`;
    process.stderr.write(`Exported ${written} entr${written === 1 ? 'y' : 'ies'} of ${describeOrganization(organization)} as ${format}${where}.\n`);
    return 0;
  });
}

/** `audit purge [--days N]`: entries older than N days go, in every organization (default: the configured retention). */
export function auditPurgeCommand(options: Options): Promise<number> {
  return withContext(options, async (ctx) => {
    const { days, deleted } = await ctx.services.operator.purgeActivityLog(cliContext('audit purge'), options.days);
    if (options.json) printJson({ days, deleted });
    else process.stdout.write(`Deleted ${deleted} activity-log entr${deleted === 1 ? 'y' : 'ies'} older than ${days} day${days === 1 ? '' : 's'} (every organization).\n`);
    return 0;
  });
}
