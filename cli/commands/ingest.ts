/** `acervo ingest <path...>`: scans in, searchable PDFs and an up-to-date index out. */
import { Command, Option } from 'commander';
import { loadConfig, splitLanguages } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { prepareLibrary } from '../../core/library.js';
import { rebuildIfEmpty } from '../../core/pipeline/rebuild-index.js';
import type { IngestReport } from '../../core/pipeline/ingest-batch.js';
import { EXIT } from '../exit-codes.js';
import { logLine, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import type { Inventory } from '../../core/metadata/inventory.js';
import type { DocumentMetadata, IngestOutcome } from '../../core/model.js';
import { buildRunReport, saveRunReport, type StoppedBy } from '../../core/reports/run-report.js';
import { splitSummary } from '../../core/reports/split-summary.js';
import { holdLibrary, startRun, type LogFormat, type RunContext } from '../run-context.js';
import { stopOnSignalOrWindow } from '../run-stop.js';
import { parseMinutes, windowDeadline } from '../time-window.js';
import { convertOptions, loadInventory, openSearchBackend, startConverter } from '../runtime.js';
import type { Converter } from '../../core/pipeline/converter.js';
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
  logFormat?: LogFormat;
  logFile?: string;
}

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('OCR scans (PNG, JPEG, TIFF, PDF; folders recursively) into searchable PDFs and index them')
    .argument('<paths...>', 'files or folders to ingest')
    .option('-l, --library <dir>', 'library folder (catalog, index and PDFs); created if missing')
    .option('--lang <codes>', 'OCR languages, e.g. por+spa+eng')
    .option('--queue <url>', 'OCR by `acervo worker` processes through this Redis server (redis://host:port); this process keeps the catalog and the index')
    .addOption(new Option('-j, --jobs <n>', 'OCR workers, one per core by default; twice as many documents are kept in hand').argParser(parsePositiveInt))
    .option('--force-ocr', 'OCR pages that already carry a text layer too (the old layer is replaced)')
    .addOption(new Option('--pdf-format <format>', 'what the PDFs claim to be (default pdfa-2b; output.pdfFormat)').choices(['pdfa-2b', 'pdfa-1b', 'pdf']))
    .option('--drop-blank', 'leave blank pages out of the PDFs (the catalog keeps them, flagged)')
    .addOption(splitModeOption())
    .addOption(blankPagesOption())
    .option('--inventory <csv...>', 'box inventories (CSV: path, title, collection, year, box, series, type, date, notes) whose values win')
    .option('--until <HH:MM>', 'take no new document after this time of day (the rest waits for the next run); exit 0')
    .addOption(new Option('--max-minutes <n>', 'take no new document after this many minutes').argParser(parseMinutes))
    .addOption(new Option('--wait-lock <seconds>', 'wait this long for another run on the library to finish (default: lock.waitSeconds, 0)').argParser(parseSeconds))
    .option('--json', 'print one JSON report on stdout')
    .option('-q, --quiet', 'log only failures')
    .option('-v, --verbose', 'one line per document even when not on a terminal')
    .addOption(new Option('--log-format <format>', 'json: JSON log lines (with the run id) on stderr, for journald').choices(['text', 'json']).default('text'))
    .option('--log-file <file>', 'also write JSON log lines to this file (rotated daily and by size)')
    .option('-c, --config <file>', 'config file (default: ./acervo.yaml if present)')
    .action(async (paths: string[], flags: IngestFlags) => {
      process.exitCode = await runIngest(paths, flags);
    });
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AppError('USAGE', `"${value}" is not a positive whole number.`);
  return n;
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new AppError('USAGE', `"${value}" is not a number of seconds.`);
  return n;
}

interface IngestRun {
  report: IngestReport;
  run: RunContext;
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
  // Start OCR (or reach the queue) first: a missing language is a usage error and must not leave a new library behind.
  const converter = await startConverter(config);
  let result: IngestRun;
  try {
    result = await ingestWith(converter, paths, flags, config, libraryDir, inventory, deadline);
  } finally {
    await converter.close();
  }
  const { report, stoppedBy } = result;
  if (flags.json) printJson({ ...jsonReport(report), runId: result.run.runId, stoppedBy, report: result.reportFiles.json });
  else if (!flags.quiet && (process.stderr.isTTY || flags.verbose || report.totals.failed > 0 || report.indexPending > 0 || stoppedBy !== 'completed')) {
    // Not on a terminal and all went well: nothing to say (cron mails only what matters).
    logLine(summary(report, stoppedBy, result.reportFiles.text));
  }
  if (stoppedBy === 'signal') return EXIT.INTERRUPTED;
  return report.totals.failed > 0 ? EXIT.SOME_FAILED : EXIT.OK;
}

async function ingestWith(converter: Converter, paths: string[], flags: IngestFlags, config: Config, libraryDir: string, inventory: Inventory | undefined, deadline: Date | null): Promise<IngestRun> {
  const startedAt = new Date();
  const library = await prepareLibrary(libraryDir);
  const run = await startRun('ingest', config, flags);
  const controller = new AbortController();
  let stoppedBy = 'completed' as StoppedBy;
  const lock = await holdLibrary(library.root, run, flags.waitLock ?? config.lock.waitSeconds, () => controller.abort()).catch(async (error: unknown) => {
    await run.close();
    throw error;
  });
  const catalog = Catalog.open(library.catalogFile);
  const backend = await openSearchBackend(config, library);
  await rebuildIfEmpty(catalog, backend, (message) => run.log.warn({ event: 'index.rebuild-empty' }, message));
  const interactive = Boolean(process.stderr.isTTY);
  const progress = createProgress({ libraryRoot: library.root, interactive, quiet: Boolean(flags.quiet) || (!interactive && !flags.verbose) });
  run.log.info({ event: 'run.started', inputs: paths, library: library.root, until: deadline?.toISOString() }, `ingest of ${paths.join(', ')} started`);

  const stopListening = stopOnSignalOrWindow(controller, deadline, {
    signal() {
      progress.log('acervo: stopping after the documents in hand (press Ctrl-C again to quit at once)');
      stoppedBy = 'signal';
    },
    window() {
      run.log.info({ event: 'run.window-closed', at: deadline!.toISOString() }, 'the time window closed: finishing the documents in hand');
      stoppedBy = 'window';
    },
  });
  // Loaded here, not at start-up: the image and PDF libraries cost a search ~0.3 s to load.
  const { ingestBatch } = await import('../../core/pipeline/ingest-batch.js');
  try {
    const events = {
      ...progress,
      onDocument: (outcome: IngestOutcome) => {
        progress.onDocument?.(outcome);
        logOutcome(run, outcome);
      },
    };
    let report: IngestReport;
    try {
      report = await ingestBatch(paths, {
        library,
        catalog,
        backend,
        converter,
        convert: convertOptions(config),
        concurrency: converter.inHand,
        signal: controller.signal,
        events,
        ...(inventory ? { inventory } : {}),
      });
    } catch (error) {
      run.log.error({ event: 'run.failed', message: (error as Error).message }, 'ingest stopped by an error');
      throw error;
    }
    const runReport = buildRunReport({ runId: run.runId, command: 'ingest', library, startedAt, finishedAt: new Date(), stoppedBy, outcomes: report.documents, remaining: report.remaining, note: stoppedBy === 'window' ? `the window closed at ${deadline!.toISOString()}` : null });
    const reportFiles = await saveRunReport(runReport, library, catalog);
    run.log.info({ event: 'run.finished', stoppedBy, ...runReport.totals, pagesPerMinute: runReport.pagesPerMinute, report: reportFiles.json }, `ingest ${stoppedBy}`);
    return { report, run, stoppedBy, reportFiles };
  } finally {
    stopListening();
    progress.finish();
    await backend.close();
    catalog.close();
    await lock.release();
    await run.close();
  }
}

function logOutcome(run: RunContext, outcome: IngestOutcome): void {
  const fields = { event: `document.${outcome.status}`, source: outcome.source, documentId: outcome.documentId, pages: outcome.pages, seconds: outcome.seconds, confidence: outcome.confidence };
  if (outcome.status === 'failed') run.log.error({ ...fields, code: outcome.error?.code, message: outcome.error?.message }, `failed ${outcome.source}`);
  else run.log.info(fields, `${outcome.status} ${outcome.source}`);
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
  const how = { completed: 'Done', window: 'Stopped (the time window closed)', signal: 'Interrupted', error: 'Stopped' }[stoppedBy];
  const lines = [
    `${how}: ${totals.documents} document(s) — ${totals.indexed} indexed, ${totals.skipped} skipped (unchanged), ${totals.failed} failed; ${totals.pages} page(s) processed in ${report.elapsedSeconds.toFixed(1)} s (${rate} pages/min).`,
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
