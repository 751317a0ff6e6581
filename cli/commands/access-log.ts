/**
 * `acervo access-log`: who searched, opened, downloaded and signed in, when, from where and what
 * (LGPD accountability). Filters by user, document, action and period; prints a table, CSV or
 * JSON. `--verify` checks the log's hash chain (exit 4 when broken); `--prune` deletes what is
 * older than the retention (`access.logRetentionDays` in the config, or `--retention-days N`). Reads while `serve` writes (the log is in WAL mode).
 */
import { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { loadConfig } from '../../config/load.js';
import { ACCESS_ACTIONS, openExistingAccessLog, type AccessAction, type AccessEntry } from '../../core/access/access-log.js';
import { AppError } from '../../core/errors.js';
import { existingLibrary } from '../../core/library.js';
import { EXIT } from '../exit-codes.js';
import { logLine, printJson, printLine } from '../output.js';
import { requireLibrary } from './library-option.js';
import { configOption, jsonOption, libraryOption } from '../options.js';

type Format = 'table' | 'csv' | 'json';

interface AccessLogFlags {
  library?: string;
  config?: string;
  user?: string;
  document?: number;
  action?: AccessAction;
  since?: Date;
  until?: Date;
  limit: number;
  format: Format;
  json?: boolean;
  verify?: boolean;
  prune?: boolean;
  retentionDays?: number;
}

export function accessLogCommand(): Command {
  return new Command('access-log')
    .description('who searched, opened, downloaded and signed in: when, from where, what (filter by user, document, period); --verify checks it was not edited')
    .addOption(libraryOption())
    .option('--user <name>', 'only this user (as signed in; a token by its name)')
    .option('--document <id>', 'only this document (catalog id)', parseDocument)
    .option('--action <action>', `only this action: ${ACCESS_ACTIONS.join(', ')}`, parseAction)
    .option('--since <date>', 'from this day (YYYY-MM-DD, local time) or moment (ISO 8601)', (value: string) => parseDate(value, '--since', 'start'))
    .option('--until <date>', 'up to the end of this day (YYYY-MM-DD, local time) or this moment (ISO 8601)', (value: string) => parseDate(value, '--until', 'end'))
    .option('-n, --limit <n>', 'newest entries to show', parseLimit, 1000)
    .option('--format <format>', 'table, csv or json', parseFormat, 'table' as Format)
    .addOption(jsonOption('same as --format json'))
    .option('--verify', "check the log's hash chain: prints ok or broken, exit 4 when broken")
    .option('--prune', 'delete the entries older than the retention (access.logRetentionDays in the config, 1825 days by default)')
    .option('--retention-days <n>', 'with --prune: how many days of entries to keep, instead of the config', parseRetention)
    .addOption(configOption())
    .action((flags: AccessLogFlags) => {
      process.exitCode = runAccessLog(flags);
    });
}

function runAccessLog(flags: AccessLogFlags): number {
  const format: Format = flags.json ? 'json' : flags.format;
  if (flags.verify && flags.prune) throw new AppError('USAGE', 'Give --verify or --prune, not both (verify first: what is pruned can no longer be checked).');
  if (!flags.prune && flags.retentionDays !== undefined) throw new AppError('USAGE', '--retention-days goes with --prune.');
  if (flags.since && flags.until && flags.since.getTime() > flags.until.getTime()) throw new AppError('USAGE', '--since is after --until: nothing can match.');

  const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
  const library = existingLibrary(requireLibrary(config.library));
  // --retention-days, else `access.logRetentionDays` of the config (5 years by default).
  const retentionDays = flags.retentionDays ?? config.access.logRetentionDays;
  // A library where nothing was ever recorded has no log: an empty result, not an error.
  const log = openExistingAccessLog(library.accessLogFile, { retentionDays });
  try {
    if (flags.verify) {
      const result = log?.verify() ?? { entries: 0, ok: true, firstBroken: null };
      if (format === 'json') printJson(result);
      else if (result.ok) printLine(`ok: ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'}, the chain is intact`);
      else printLine(`broken: ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'}; entry #${result.firstBroken} does not match the chain (changed, removed or cut off after it was written)`);
      return result.ok ? EXIT.OK : EXIT.FIXITY;
    }
    if (flags.prune) {
      const now = new Date();
      const horizon = new Date(now.getTime() - retentionDays * 86_400_000);
      const pruned = log?.prune(now) ?? 0;
      if (format === 'json') printJson({ pruned, retentionDays, horizon: horizon.toISOString() });
      else printLine(`pruned ${pruned} entr${pruned === 1 ? 'y' : 'ies'} older than ${localTime(horizon.toISOString())} (${retentionDays} days kept)`);
      return EXIT.OK;
    }
    // One more than asked, to tell whether the limit cut the list.
    const found = log?.query({ user: flags.user, documentId: flags.document, action: flags.action, since: flags.since, until: flags.until, limit: flags.limit + 1 }) ?? [];
    const entries = found.slice(0, flags.limit);
    if (found.length > flags.limit) logLine(`acervo: showing the newest ${flags.limit} entries; more match (raise --limit or narrow the period with --since/--until)`);
    if (format === 'json') printJson(entries);
    else if (format === 'csv') process.stdout.write(toCsv(entries));
    else printTable(entries);
    return EXIT.OK;
  } finally {
    log?.close();
  }
}

const CSV_COLUMNS = ['id', 'at', 'user', 'role', 'ip', 'action', 'documentId', 'query', 'outcome', 'detail'] as const;

/** RFC 4180 (CRLF, quotes doubled), with cells that a spreadsheet would run as a formula defused by a leading quote. */
export function toCsv(entries: readonly AccessEntry[]): string {
  const rows = entries.map((entry) =>
    CSV_COLUMNS.map((column) => {
      const value = column === 'detail' ? (entry.detail === null ? null : JSON.stringify(entry.detail)) : entry[column];
      return value === null ? '' : defuseFormula(String(value));
    }),
  );
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' });
}

/** OWASP's CSV injection advice: a cell starting with = + - @ (or tab / CR) is read as text. */
export function defuseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function printTable(entries: readonly AccessEntry[]): void {
  if (entries.length === 0) {
    printLine('No access log entries match.');
    return;
  }
  const header = ['when', 'user', 'role', 'from', 'action', 'document', 'query', 'outcome'];
  const rows = entries.map((e) => [localTime(e.at), e.user ?? '-', e.role ?? '-', e.ip ?? '-', e.action, e.documentId === null ? '-' : String(e.documentId), e.query === null ? '-' : shorten(e.query, 60), e.outcome].map(forTerminal));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  printLine(line(header));
  for (const row of rows) printLine(line(row));
}

/** What a web user typed reaches the terminal: control characters (escape sequences, new lines) are shown, not obeyed. */
function forTerminal(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** An ISO instant as local time, `YYYY-MM-DD HH:MM:SS`. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** YYYY-MM-DD (local time: the start of the day, or its last millisecond for --until) or an ISO 8601 moment. */
export function parseDate(value: string, option: string, edge: 'start' | 'end'): Date {
  const text = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = new Date(year, month - 1, date);
    if (start.getFullYear() !== year || start.getMonth() !== month - 1 || start.getDate() !== date) {
      throw new AppError('USAGE', `${option} ${value} is not a date of the calendar.`);
    }
    return edge === 'start' ? start : new Date(new Date(year, month - 1, date + 1).getTime() - 1);
  }
  const moment = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text) ? new Date(text.replace(' ', 'T')) : null;
  if (moment === null || Number.isNaN(moment.getTime())) {
    throw new AppError('USAGE', `${option} takes a day (YYYY-MM-DD) or a moment (ISO 8601, e.g. 2024-03-01T14:30 or 2024-03-01T17:30:00Z), not "${value}".`);
  }
  return moment;
}

function parseDocument(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new AppError('USAGE', `--document takes a document's catalog id (a whole number), not "${value}".`);
  return n;
}

function parseAction(value: string): AccessAction {
  if (!(ACCESS_ACTIONS as readonly string[]).includes(value)) throw new AppError('USAGE', `--action takes one of ${ACCESS_ACTIONS.join(', ')}, not "${value}".`);
  return value as AccessAction;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new AppError('USAGE', `--limit must be a whole number, 1 or more, not "${value}".`);
  return n;
}

function parseFormat(value: string): Format {
  if (value !== 'table' && value !== 'csv' && value !== 'json') throw new AppError('USAGE', `--format takes table, csv or json, not "${value}".`);
  return value;
}

function parseRetention(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new AppError('USAGE', `--retention-days must be a whole number of days, 1 or more, not "${value}".`);
  return n;
}
