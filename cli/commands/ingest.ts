/** `acervo ingest <path...>`: scans in, searchable PDFs and an up-to-date index out. */
import { Command, Option } from 'commander';
import type { Logger } from 'pino';
import { loadConfig, splitLanguages } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import type { IngestReport } from '../../core/pipeline/ingest-batch.js';
import type { Converter } from '../../core/pipeline/converter.js';
import type { Inventory } from '../../core/metadata/inventory.js';
import type { DocumentMetadata, IngestOutcome } from '../../core/model.js';
import { buildRunReport, saveRunReport, type StoppedBy } from '../../core/reports/run-report.js';
import { splitSummary } from '../../core/reports/split-summary.js';
import { EXIT } from '../exit-codes.js';
import { withLibraryRun, type LibraryRun } from '../library-run.js';
import { configOption, jobsOption, jsonOption, langOption, libraryOption, logFileOption, logFormatOption, queueOption, waitLockOption } from '../options.js';
import { logLine, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { stopOnSignalOrWindow } from '../run-stop.js';
import { checkLanguages, convertOptions, loadInventory, startConverter } from '../runtime.js';
import { parseMinutes, windowDeadline } from '../time-window.js';
import { requireLibrary } from './library-option.js';
import { blankPagesOption, splitConfig, splitModeOption, type SplitFlags } from './split-option.js';

interface IngestFlags extends SplitFlags {
  library?: string;
  config?: string;
  json?: boolean;
  lang?: string;
  jobs?: number;
  queue?: string;
  pdfFormat?: 'pdfa-2b' | 'pdfa-1b' | 'pdf';
  forceOcr?: boolean;
  dropBlank?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  inventory?: string[];
  until?: string;
  maxMinutes?: number;
  waitLock?: number;
  logFormat?: 'text' | 'json';
  logFile?: string;
}

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('OCR scans (PNG, JPEG, TIFF, PDF; folders recursively) into searchable PDFs and index them')
    .argument('<paths...>', 'files or folders to ingest')
    .addOption(libraryOption('library folder (catalog, index and PDFs); created if missing'))
    .addOption(langOption())
    .addOption(queueOption())
    .addOption(jobsOption('documents'))
    .option('--force-ocr', 'OCR pages that already carry a text layer too (the old layer is replaced)')
    .addOption(new Option('--pdf-format <format>', 'what the PDFs claim to be (default pdfa-2b; output.pdfFormat)').choices(['pdfa-2b', 'pdfa-1b', 'pdf']))
    .option('--drop-blank', 'leave blank pages out of the PDFs (the catalog keeps them, flagged)')
    .addOption(splitModeOption())
    .addOption(blankPagesOption())
    .option('--inventory <csv...>', 'box inventories (CSV: path, title, collection, year, box, series, type, date, notes) whose values win')
    .option('--until <HH:MM>', 'take no new document after this time of day (the rest waits for the next run); exit 0')
    .addOption(new Option('--max-minutes <n>', 'take no new document after this many minutes').argParser(parseMinutes))
    .addOption(waitLockOption())
    .addOption(jsonOption('print one JSON report on stdout'))
    .option('-q, --quiet', 'log only failures')
    .option('-v, --verbose', 'one line per document even when not on a terminal')
    .addOption(logFormatOption())
    .addOption(logFileOption())
    .addOption(configOption())
    .action(async (paths: string[], flags: IngestFlags) => {
      process.exitCode = await runIngest(paths, flags);
    });
}

interface IngestRun {
  report: IngestReport;
  stoppedBy: StoppedBy;
  reportFiles: { json: string; text: string; html: string };
}

async function runIngest(paths: string[], flags: IngestFlags): Promise<number> {
  const config = loadConfig({
    file: flags.config,
    flags: {
      library: flags.library,
      ocr: { languages: flags.lang ? splitLanguages(flags.lang) : undefined, jobs: flags.jobs, forceOcr: flags.forceOcr },
      clean: { dropBlank: flags.dropBlank },
      queue: { url: flags.queue },
      output: { pdfFormat: flags.pdfFormat },
      split: splitConfig(flags),
    },
  });
  const libraryDir = requireLibrary(config.library);
  const inventory = loadInventory(config, flags.inventory);
  const deadline = windowDeadline({ until: flags.until, maxMinutes: flags.maxMinutes });
  // A missing language is a usage error: said before a library is created or locked.
  checkLanguages(config);
  const lifecycle = { command: 'ingest', config, libraryDir, create: true, waitLockSeconds: flags.waitLock ?? config.lock.waitSeconds, log: { stderr: flags.logFormat === 'json', file: flags.logFile ?? config.logging.file }, stoppable: true };
  return withLibraryRun(lifecycle, async (run) => {
    // Started once the lock is held: a second run on a locked library is refused at once.
    const converter = await startConverter(config);
    let result: IngestRun;
    try {
      result = await ingestWith(run, converter, paths, flags, config, inventory, deadline);
    } finally {
      await converter.close();
    }
    const { report, stoppedBy } = result;
    if (flags.json) printJson({ ...jsonReport(report), runId: run.runId, stoppedBy, report: result.reportFiles.json });
    else if (!flags.quiet && (process.stderr.isTTY || flags.verbose || report.totals.failed > 0 || report.totals.incomplete > 0 || report.totals.warnings > 0 || report.indexPending > 0 || stoppedBy !== 'completed')) {
      // Not on a terminal and all went well: nothing to say (cron mails only what matters).
      logLine(summary(report, stoppedBy, result.reportFiles.text));
    }
    if (stoppedBy === 'signal') return EXIT.INTERRUPTED;
    // A document converted from a file cut short is a failure to finish: scripts must see it.
    return report.totals.failed > 0 || report.totals.incomplete > 0 ? EXIT.SOME_FAILED : EXIT.OK;
  });
}

async function ingestWith(run: LibraryRun, converter: Converter, paths: string[], flags: IngestFlags, config: Config, inventory: Inventory | undefined, deadline: Date | null): Promise<IngestRun> {
  const { library, catalog, backend, stop } = run;
  let stoppedBy = 'completed' as StoppedBy;
  const interactive = Boolean(process.stderr.isTTY);
  const progress = createProgress({ libraryRoot: library.root, interactive, quiet: Boolean(flags.quiet) || (!interactive && !flags.verbose) });
  run.log.info({ event: 'run.started', inputs: paths, library: library.root, until: deadline?.toISOString() }, `ingest of ${paths.join(', ')} started`);

  const stopListening = stopOnSignalOrWindow(stop, deadline, {
    signal() {
      progress.log('acervo: stopping after the documents in hand (press Ctrl-C again to quit at once)');
      stoppedBy = 'signal';
    },
    window() {
      run.log.info({ event: 'run.window-closed', at: deadline!.toISOString() }, 'the time window closed: finishing the documents in hand');
      stoppedBy = 'window';
    },
    again: () => run.quitAtOnce(EXIT.INTERRUPTED),
  });
  // Loaded here, not at start-up: the image and PDF libraries cost a search ~0.3 s to load.
  const { ingestBatch } = await import('../../core/pipeline/ingest-batch.js');
  try {
    const events = {
      ...progress,
      onDocument: (outcome: IngestOutcome) => {
        progress.onDocument?.(outcome);
        logOutcome(run.log, outcome);
      },
    };
    const report = await ingestBatch(paths, {
      library,
      catalog,
      backend,
      converter,
      convert: convertOptions(config),
      concurrency: converter.inHand,
      signal: stop.signal,
      events,
      ...(inventory ? { inventory } : {}),
    });
    const runReport = buildRunReport({ runId: run.runId, command: 'ingest', library, startedAt: run.startedAt, finishedAt: new Date(), stoppedBy, outcomes: report.documents, remaining: report.remaining, note: stoppedBy === 'window' ? `the window closed at ${deadline!.toISOString()}` : null });
    const reportFiles = await saveRunReport(runReport, library, catalog, config.access);
    run.log.info({ event: 'run.finished', stoppedBy, ...runReport.totals, pagesPerMinute: runReport.pagesPerMinute, report: reportFiles.json }, `ingest ${stoppedBy}`);
    return { report, stoppedBy, reportFiles };
  } finally {
    stopListening();
    progress.finish();
  }
}

function logOutcome(log: Logger, outcome: IngestOutcome): void {
  const fields = { event: `document.${outcome.status}`, source: outcome.source, documentId: outcome.documentId, pages: outcome.pages, seconds: outcome.seconds, confidence: outcome.confidence };
  if (outcome.status === 'failed') log.error({ ...fields, code: outcome.error?.code, message: outcome.error?.message }, `failed ${outcome.source}`);
  else if (outcome.incomplete) log.error({ ...fields, event: 'document.incomplete', code: outcome.error?.code, message: outcome.error?.message }, `incomplete ${outcome.source}`);
  else log.info(fields, `${outcome.status} ${outcome.source}`);
  for (const warning of outcome.warnings ?? []) log.warn({ event: 'document.warning', source: outcome.source, code: warning.code, message: warning.message }, `warning ${outcome.source}: ${warning.code}`);
}

function jsonReport(report: IngestReport) {
  return {
    library: report.library,
    documents: report.documents.map((d) => ({
      source: d.source,
      status: d.status,
      documentId: d.documentId,
      pdf: d.pdf,
      pdfConformance: d.pdfConformance ?? null,
      ...(d.pdfConformanceNote ? { pdfConformanceNote: d.pdfConformanceNote } : {}),
      pages: d.pages,
      indexPending: d.indexPending,
      pageCorrections: d.pageCorrections,
      metadata: d.metadata ? jsonMetadata(d.metadata) : null,
      ...(d.split ? { split: splitSummary(d) } : {}),
      error: d.error,
      ...(d.incomplete ? { incomplete: true } : {}),
      warnings: d.warnings ?? [],
    })),
    totals: report.totals,
    indexPending: report.indexPending,
    interrupted: report.interrupted,
    remaining: report.remaining,
    elapsedSeconds: round(report.elapsedSeconds, 2),
  };
}

/** What was read of a document, as `--json` shows it (taxpayer numbers only as a count: they are personal data). */
function jsonMetadata(m: DocumentMetadata) {
  return {
    title: m.title,
    documentType: m.documentType,
    collection: m.collection,
    year: m.year,
    date: m.date,
    language: m.language,
    box: m.box,
    series: m.series,
    notes: m.notes,
    personalData: m.personalData,
    dates: m.dates,
    identifiers: m.identifiers,
    taxNumbers: m.taxNumbers.length,
  };
}

function summary(report: IngestReport, stoppedBy: StoppedBy, reportFile: string): string {
  const { totals } = report;
  const minutes = report.elapsedSeconds / 60;
  const rate = minutes > 0 ? (totals.pages / minutes).toFixed(1) : '0';
  const how = { completed: 'Done', window: 'Stopped (the time window closed)', signal: 'Interrupted', error: 'Stopped', interrupted: 'Interrupted' }[stoppedBy];
  const lines = [
    `${how}: ${totals.documents} document(s) — ${totals.indexed} indexed, ${totals.skipped} skipped (unchanged), ${totals.failed} failed${totals.incomplete > 0 ? `, ${totals.incomplete} incomplete (file cut short)` : ''}${totals.warnings > 0 ? `, ${totals.warnings} with warnings` : ''}; ${totals.pages} page(s) processed in ${report.elapsedSeconds.toFixed(1)} s (${rate} pages/min).`,
    ...(report.remaining > 0 ? [`${report.remaining} file(s) left for the next run, which resumes where this one stopped.`] : []),
    `Library: ${report.library}`,
    `Report: ${reportFile}`,
  ];
  if (report.indexPending > 0) lines.push(`${report.indexPending} index update(s) are waiting; run \`acervo index --sync\` once the search backend is reachable.`);
  return lines.join('\n');
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
