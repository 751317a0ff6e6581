/** `acervo watch <inbox...>`: hot folders; every file that lands there is converted and indexed, exactly once. */
import { Command, Option } from 'commander';
import { loadConfig, splitLanguages } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import { serialIndexSync } from '../../core/pipeline/index-sync.js';
import { openInbox, type Inbox } from '../../workers/inbox.js';
import { lockInbox } from '../../workers/inbox-lock.js';
import type { HotFolderOptions } from '../../workers/hot-folder.js';
import type { FolderLock } from '../../core/folder-lock.js';
import { buildRunReport, saveRunReport, type StoppedBy } from '../../core/reports/run-report.js';
import { parseMinutes, windowDeadline } from '../time-window.js';
import { EXIT } from '../exit-codes.js';
import { withLibraryRun, type LibraryRun } from '../library-run.js';
import { configOption, jobsOption, langOption, libraryOption, logFileOption, parsePositiveSeconds, parseSeconds, queueOption, waitLockOption } from '../options.js';
import { stopOnSignalOrWindow } from '../run-stop.js';
import { checkLanguages, convertOptions, loadInventory, PRODUCER, startConverter } from '../runtime.js';
import { requireLibrary } from './library-option.js';
import { blankPagesOption, splitConfig, splitModeOption, type SplitFlags } from './split-option.js';

interface WatchFlags extends SplitFlags {
  library?: string;
  config?: string;
  once?: boolean;
  poll?: boolean;
  pollInterval?: number;
  stableSeconds?: number;
  onSuccess?: 'move' | 'keep' | 'delete';
  processedDir?: string;
  failedDir?: string;
  logFile?: string;
  lang?: string;
  jobs?: number;
  queue?: string;
  pdfFormat?: 'pdfa-2b' | 'pdfa-1b' | 'pdf';
  forceOcr?: boolean;
  dropBlank?: boolean;
  inventory?: string[];
  until?: string;
  maxMinutes?: number;
  waitLock?: number;
}

export function watchCommand(): Command {
  return new Command('watch')
    .description('watch inbox folders and convert and index every file that lands there, exactly once')
    .argument('[inboxes...]', 'inbox folders, watched recursively (also watch.inboxes in the config)')
    .addOption(libraryOption('library folder (catalog, index and PDFs); created if missing'))
    .option('--once', 'process what is in the inboxes now, then exit (for cron)')
    .option('--poll', 'poll the folders instead of waiting for file-system events (SMB/NFS shares)')
    .addOption(new Option('--poll-interval <seconds>', 'seconds between polls (default 5)').argParser(parsePositiveSeconds))
    .addOption(new Option('--stable-seconds <seconds>', 'a file is taken once unchanged this long (default 3)').argParser(parseSeconds))
    .addOption(new Option('--on-success <what>', 'what happens to an original once converted (default move)').choices(['move', 'keep', 'delete']))
    .option('--processed-dir <dir>', 'where converted originals go (relative to each inbox, or absolute; default processed)')
    .option('--failed-dir <dir>', 'where originals that failed go, with <name>.error.json (default failed)')
    .addOption(logFileOption())
    .addOption(langOption())
    .addOption(queueOption())
    .addOption(jobsOption('files'))
    .option('--force-ocr', 'OCR pages that already carry a text layer too')
    .addOption(new Option('--pdf-format <format>', 'what the PDFs claim to be (default pdfa-2b; output.pdfFormat)').choices(['pdfa-2b', 'pdfa-1b', 'pdf']))
    .option('--drop-blank', 'leave blank pages out of the PDFs')
    .addOption(splitModeOption())
    .addOption(blankPagesOption())
    .option('--inventory <csv...>', 'box inventories (paths below the inbox) whose values win')
    .option('--until <HH:MM>', 'stop taking new files at this time of day (the rest waits); exit 0')
    .addOption(new Option('--max-minutes <n>', 'stop taking new files after this many minutes').argParser(parseMinutes))
    .addOption(waitLockOption())
    .addOption(configOption())
    .action(async (inboxArgs: string[], flags: WatchFlags) => {
      process.exitCode = await runWatch(inboxArgs, flags);
    });
}

async function runWatch(inboxArgs: string[], flags: WatchFlags): Promise<number> {
  const config = loadConfig({
    file: flags.config,
    flags: {
      library: flags.library,
      ocr: { languages: flags.lang ? splitLanguages(flags.lang) : undefined, jobs: flags.jobs, forceOcr: flags.forceOcr },
      clean: { dropBlank: flags.dropBlank },
      queue: { url: flags.queue },
      output: { pdfFormat: flags.pdfFormat },
      split: splitConfig(flags),
      watch: {
        poll: flags.poll,
        pollIntervalSeconds: flags.pollInterval,
        stableSeconds: flags.stableSeconds,
        onSuccess: flags.onSuccess,
        processedDir: flags.processedDir,
        failedDir: flags.failedDir,
        logFile: flags.logFile,
      },
    },
  });
  const libraryDir = requireLibrary(config.library);
  const given = [...inboxArgs.map((folder) => ({ path: folder, split: undefined })), ...config.watch.inboxes.map((inbox) => (typeof inbox === 'string' ? { path: inbox, split: undefined } : inbox))];
  if (given.length === 0) throw new AppError('USAGE', 'No inbox folder: name one or more (acervo watch /scans/entrada --library DIR), or list them in watch.inboxes.');
  const inboxes: Inbox[] = [];
  for (const { path: folder, split } of given) {
    const inbox = await openInbox(folder, config.watch, libraryDir, split ? { ...config.split, ...split } : undefined);
    if (!inboxes.some((known) => known.root === inbox.root)) inboxes.push(inbox);
  }

  const inventory = loadInventory(config, flags.inventory);
  const deadline = windowDeadline({ until: flags.until, maxMinutes: flags.maxMinutes });
  checkLanguages(config);
  const command = flags.once ? 'watch --once' : 'watch';
  // A watcher's lines always go to stderr (a service manager keeps them), and to its log file.
  const lifecycle = { command, config, libraryDir, create: true, waitLockSeconds: flags.waitLock ?? config.lock.waitSeconds, log: { stderr: true, file: config.watch.logFile ?? config.logging.file }, stoppable: true };
  return withLibraryRun(lifecycle, async (run) => {
    const { library, catalog, backend, log, stop } = run;
    const inboxLocks: FolderLock[] = [];
    let stoppedBy = 'completed' as StoppedBy;
    try {
      for (const inbox of inboxes) {
        inboxLocks.push(
          await lockInbox(inbox.root, library.root, (error) => {
            log.error({ event: 'watch.lock-lost', inbox: inbox.root, message: error.message }, `lost the lock on ${inbox.root}: stopping`);
            stop.abort();
          }),
        );
      }
      const converter = await startConverter(config);
      try {
        const indexSync = serialIndexSync(catalog, backend);
        const stopListening = stopOnSignalOrWindow(stop, deadline, {
          signal() {
            log.info({ event: 'watch.stopping' }, 'stopping: no new files; finishing the ones in hand (signal again to quit at once)');
            stoppedBy = 'signal';
          },
          window() {
            log.info({ event: 'watch.window-closed', at: deadline!.toISOString() }, 'the time window closed: finishing the files in hand');
            stoppedBy = 'window';
          },
          again() {
            log.warn({ event: 'watch.killed' }, 'stopping at once: the files in hand are converted again next time');
            for (const lock of inboxLocks) lock.releaseNow();
            run.quitAtOnce(EXIT.INTERRUPTED);
          },
        });
        try {
          const { runHotFolder } = await import('../../workers/hot-folder.js');
          const summary = await runHotFolder({
            inboxes,
            settings: config.watch,
            catalog,
            ingest: { library, catalog, converter, convert: convertOptions(config), reservedOutputs: new Set(), syncIndex: indexSync.run, ...(inventory ? { inventory } : {}) },
            concurrency: converter.inHand,
            once: Boolean(flags.once),
            signal: stop.signal,
            log,
            upkeep: correctionsUpkeep(run),
          });
          await indexSync.run(true);
          const report = buildRunReport({ runId: run.runId, command, library, startedAt: run.startedAt, finishedAt: new Date(), stoppedBy, outcomes: summary.outcomes, remaining: summary.waiting });
          const files = await saveRunReport(report, library, catalog, config.access);
          log.info({ event: 'run.finished', stoppedBy, ...report.totals, report: files.json }, `report: ${files.text}`);
          // A watcher that was stopped has nothing half-done; --once reports like ingest does.
          if (!flags.once) return EXIT.OK;
          if (stoppedBy === 'signal') return EXIT.INTERRUPTED;
          return summary.counts.failed > 0 || summary.counts.incomplete > 0 ? EXIT.SOME_FAILED : EXIT.OK;
        } finally {
          stopListening();
          await indexSync.idle();
        }
      } finally {
        await converter.close();
      }
    } finally {
      for (const lock of inboxLocks) await lock.release().catch(() => {});
    }
  });
}

/** Between a minute's checks, PDFs that failed to be written are tried again only this often, unless more come to wait. */
const RETRY_FAILED_REWRITES_MS = 15 * 60_000;

/**
 * Staff's corrections written into the PDFs by the watcher, which holds the library lock all the
 * time it runs (so neither serve nor acervo apply-corrections could): checked every minute, run
 * between files (core/pipeline/apply-corrections.ts; hot-folder.ts's upkeep).
 */
function correctionsUpkeep(run: LibraryRun): NonNullable<HotFolderOptions['upkeep']> {
  let leftWaiting = 0;
  let quietUntil = 0;
  return {
    everyMs: 60_000,
    needed: () => {
      const waiting = run.catalog.pdfRewrites().pendingCount();
      return waiting > 0 && (waiting > leftWaiting || Date.now() >= quietUntil);
    },
    run: async (signal) => {
      const { applyCorrections } = await import('../../core/pipeline/apply-corrections.js');
      const outcome = await applyCorrections({ library: run.library, catalog: run.catalog, producer: PRODUCER, runId: run.runId, signal });
      for (const document of outcome.documents) {
        if (document.error) run.log.error({ event: 'pdf.rewrite-failed', documentId: document.documentId, code: document.error.code }, document.error.message);
        else run.log.info({ event: 'pdf.rewritten', documentId: document.documentId, sha256: document.sha256, correctionsSeq: document.correctionsSeq }, `rewrote ${document.outputPath} with its corrections`);
      }
      leftWaiting = outcome.remaining;
      quietUntil = outcome.remaining > 0 ? Date.now() + RETRY_FAILED_REWRITES_MS : 0;
    },
  };
}
