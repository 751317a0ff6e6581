/**
 * `acervo verify`: the fixity check. Re-hashes every PDF of the library (and with --originals the
 * originals too) and compares with the catalog; lists missing, changed, unreadable and unexpected
 * files; exit 4 when there is any. Resumable, rate-capped, and it needs no writer's lock.
 */
import path from 'node:path';
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import type { Logger } from 'pino';
import { loadConfig } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import { lockFolder } from '../../core/folder-lock.js';
import { ReadThrottle } from '../../core/fixity/read-throttle.js';
import { verifyLibrary, type VerifyEvents } from '../../core/fixity/verify-library.js';
import { buildVerifyReport, formatBytes, saveVerifyReport, verifySummary } from '../../core/fixity/verify-report.js';
import type { StoppedBy } from '../../core/reports/run-report.js';
import { EXIT } from '../exit-codes.js';
import { barOptions } from '../progress.js';
import { logLine, printJson } from '../output.js';
import { withRun } from '../library-run.js';
import { configOption, jsonOption, libraryOption, logFileOption, logFormatOption, waitLockOption } from '../options.js';
import { stopOnSignalOrWindow } from '../run-stop.js';
import { parseMinutes, windowDeadline } from '../time-window.js';
import { requireLibrary } from './library-option.js';

interface VerifyFlags {
  library?: string;
  config?: string;
  json?: boolean;
  originals?: boolean;
  rate?: number;
  restart?: boolean;
  until?: string;
  maxMinutes?: number;
  waitLock?: number;
  quiet?: boolean;
  logFormat?: 'text' | 'json';
  logFile?: string;
}

/** Two verify runs on one library would both resume the same pass: one at a time (a lock of its own, not the writers'). */
const VERIFY_LOCK_NAME = '.acervo-verify.lock';

export function verifyCommand(): Command {
  return new Command('verify')
    .description("fixity check: re-hash the library's PDFs (and originals) and report missing, changed and unexpected files; exit 4 if any")
    .addOption(libraryOption())
    .option('--originals', 'also re-hash the originals, where the catalog says they are')
    .addOption(new Option('--rate <MB/s>', 'read at most this many megabytes (10^6 bytes) per second, e.g. 20 for daytime runs').argParser(parseRate))
    .option('--restart', 'start a new pass instead of resuming the one the last run left unfinished')
    .option('--until <HH:MM>', 'stop at this time of day; the next run resumes where this one stopped')
    .addOption(new Option('--max-minutes <n>', 'stop after this many minutes; the next run resumes').argParser(parseMinutes))
    .addOption(waitLockOption('wait this long for another verify of the library to finish'))
    .addOption(jsonOption('print one JSON report on stdout'))
    .option('-q, --quiet', 'print nothing when all is well')
    .addOption(logFormatOption())
    .addOption(logFileOption())
    .addOption(configOption())
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await runVerify(flags);
    });
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new AppError('USAGE', `--rate takes megabytes per second as a positive number (e.g. 20 or 0.5), not "${value}".`);
  return n;
}

async function runVerify(flags: VerifyFlags): Promise<number> {
  const config = loadConfig({ file: flags.config, flags: { library: flags.library } });
  const libraryDir = requireLibrary(config.library);
  const deadline = windowDeadline({ until: flags.until, maxMinutes: flags.maxMinutes });
  const command = flags.originals ? 'verify --originals' : 'verify';
  const options = { command, config, libraryDir, waitLockSeconds: flags.waitLock ?? config.lock.waitSeconds, log: { stderr: flags.logFormat === 'json', file: flags.logFile ?? config.logging.file } };
  const takeLock = (run: { runId: string; library: { root: string } }, onLost: (error: Error) => void) =>
    lockFolder({
      folder: run.library.root,
      lockPath: path.join(run.library.root, VERIFY_LOCK_NAME),
      holder: `acervo verify (run ${run.runId})`,
      code: 'LIBRARY_LOCKED',
      what: `the fixity check of the library ${run.library.root}`,
      waitMs: options.waitLockSeconds * 1000,
      onLost,
    });
  return withRun(options, takeLock, async (run) => {
    const { library, catalog, log, stop } = run;
    // A lost lock stops the pass like an error; a signal or the window, as themselves.
    let stoppedBy: StoppedBy = 'error';
    const progress = createVerifyProgress(Boolean(process.stderr.isTTY));
    const stopListening = stopOnSignalOrWindow(stop, deadline, {
      signal() {
        progress.log('acervo: stopping; the next acervo verify resumes from here (press Ctrl-C again to quit at once)');
        stoppedBy = 'signal';
      },
      window() {
        log.info({ event: 'run.window-closed', at: deadline!.toISOString() }, 'the time window closed: stopping the fixity check');
        stoppedBy = 'window';
      },
      again: () => run.quitAtOnce(EXIT.INTERRUPTED),
    });
    try {
      log.info({ event: 'run.started', library: library.root, originals: Boolean(flags.originals), rateMBps: flags.rate ?? null }, 'fixity check started');
      const outcome = await verifyLibrary(library, catalog, {
        originals: Boolean(flags.originals),
        restart: Boolean(flags.restart),
        throttle: flags.rate ? new ReadThrottle(flags.rate * 1e6) : null,
        signal: stop.signal,
        events: progress.events,
      });
      progress.finish();
      const report = buildVerifyReport(outcome, { runId: run.runId, command, library, startedAt: run.startedAt, finishedAt: new Date(), stoppedBy: outcome.pass.complete ? 'completed' : stoppedBy, rateMBps: flags.rate ?? null });
      const files = await saveVerifyReport(report, library, catalog);
      logFindings(log, report.findings);
      log.info({ event: 'run.finished', stoppedBy: report.stoppedBy, ...report.totals, report: files.json }, `fixity check ${report.stoppedBy}`);
      if (flags.json) printJson({ ...report, report: files.json });
      else if (!flags.quiet || report.problems > 0 || !report.pass.complete) process.stdout.write(`${verifySummary(report)}Report: ${files.text}\n`);
      if (report.stoppedBy === 'signal') return EXIT.INTERRUPTED;
      return report.problems > 0 ? EXIT.FIXITY : EXIT.OK;
    } finally {
      progress.finish();
      stopListening();
    }
  });
}

function logFindings(log: Logger, findings: ReturnType<typeof buildVerifyReport>['findings']): void {
  for (const f of findings) log.warn({ event: `fixity.${f.kind}`, file: f.file, path: f.path, documentId: f.documentId, expected: f.expectedSha256, actual: f.actualSha256 }, `${f.kind} ${f.path}`);
}

/** A bar on a terminal (documents, MB read, MB/s, ETA); nothing otherwise: the summary says it all. */
function createVerifyProgress(interactive: boolean): { events: VerifyEvents; log(line: string): void; finish(): void } {
  if (!interactive) return { events: {}, log: logLine, finish() {} };
  const bar = new cliProgress.SingleBar(barOptions(' {bar} {value}/{total} documents | {read} | {rate} MB/s | ETA {eta_formatted}{problems}'), cliProgress.Presets.shades_classic);
  const started = Date.now();
  let bytes = 0;
  let problems = 0;
  let running = false;
  const payload = () => ({
    read: formatBytes(bytes),
    rate: (bytes / 1e6 / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1),
    problems: problems > 0 ? ` | ${problems} problem(s)` : '',
  });
  return {
    events: {
      onStart(remaining) {
        bar.start(remaining.documents, 0, payload());
        running = true;
      },
      onBytes(n) {
        bytes += n;
        bar.update(payload());
      },
      onDocument(findings) {
        problems += findings.length;
        bar.increment(1, payload());
      },
    },
    log(line) {
      if (running) process.stderr.write('\n');
      logLine(line);
    },
    finish() {
      if (running) bar.stop();
      running = false;
    },
  };
}
