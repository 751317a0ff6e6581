/** `acervo ingest <path...>`: scans in, searchable PDFs and an up-to-date index out. */
import { Command, Option } from 'commander';
import { loadConfig, splitLanguages } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { prepareLibrary } from '../../core/library.js';
import type { OcrEngine } from '../../core/ocr/ocr-engine.js';
import type { IngestReport } from '../../core/pipeline/ingest-batch.js';
import { EXIT } from '../exit-codes.js';
import { logLine, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import type { Inventory } from '../../core/metadata/inventory.js';
import type { DocumentMetadata } from '../../core/model.js';
import { convertOptions, loadInventory, openSearchBackend, PRODUCER, startOcr } from '../runtime.js';
import { requireLibrary } from './library-option.js';

interface IngestFlags {
  library?: string;
  config?: string;
  json?: boolean;
  lang?: string;
  jobs?: number;
  forceOcr?: boolean;
  dropBlank?: boolean;
  quiet?: boolean;
  inventory?: string[];
}

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('OCR scans (PNG, JPEG, TIFF, PDF; folders recursively) into searchable PDFs and index them')
    .argument('<paths...>', 'files or folders to ingest')
    .option('-l, --library <dir>', 'library folder (catalog, index and PDFs); created if missing')
    .option('--lang <codes>', 'OCR languages, e.g. por+spa+eng')
    .addOption(new Option('-j, --jobs <n>', 'documents and OCR workers at once (default: number of cores)').argParser(parsePositiveInt))
    .option('--force-ocr', 'OCR pages that already carry a text layer too (the old layer is replaced)')
    .option('--drop-blank', 'leave blank pages out of the PDFs (the catalog keeps them, flagged)')
    .option('--inventory <csv...>', 'box inventories (CSV: path, title, collection, year, box, series, type, date, notes) whose values win')
    .option('--json', 'print one JSON report on stdout')
    .option('-q, --quiet', 'log only failures')
    .option('-c, --config <file>', 'config file (default: ./acervo.yaml if present)')
    .action(async (paths: string[], flags: IngestFlags) => {
      process.exitCode = await runIngest(paths, flags);
    });
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AppError('USAGE', `"${value}" is not a positive whole number.`);
  return n;
}

async function runIngest(paths: string[], flags: IngestFlags): Promise<number> {
  const config = loadConfig({
    file: flags.config,
    flags: {
      library: flags.library,
      ocr: { languages: flags.lang ? splitLanguages(flags.lang) : undefined, jobs: flags.jobs, forceOcr: flags.forceOcr },
      clean: { dropBlank: flags.dropBlank },
    },
  });
  const libraryDir = requireLibrary(config.library);
  const inventory = loadInventory(config, flags.inventory);
  // Start OCR first: a missing language is a usage error and must not leave a new library behind.
  const ocr = await startOcr(config);
  let report: IngestReport;
  try {
    report = await ingestWithOcr(paths, flags, config, libraryDir, ocr, inventory);
  } finally {
    await ocr.close();
  }

  if (flags.json) printJson(jsonReport(report));
  else if (!flags.quiet) logLine(summary(report));
  if (report.interrupted) return EXIT.INTERRUPTED;
  return report.totals.failed > 0 ? EXIT.SOME_FAILED : EXIT.OK;
}

async function ingestWithOcr(paths: string[], flags: IngestFlags, config: Config, libraryDir: string, ocr: OcrEngine, inventory: Inventory | undefined): Promise<IngestReport> {
  const library = await prepareLibrary(libraryDir);
  const catalog = Catalog.open(library.catalogFile);
  const backend = openSearchBackend(config, library);
  const progress = createProgress({ libraryRoot: library.root, interactive: Boolean(process.stderr.isTTY), quiet: Boolean(flags.quiet) });

  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT.INTERRUPTED);
    progress.log('acervo: stopping after the documents in hand (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Loaded here, not at start-up: the image and PDF libraries cost a search ~0.3 s to load.
  const { ingestBatch } = await import('../../core/pipeline/ingest-batch.js');
  try {
    return await ingestBatch(paths, {
      library,
      catalog,
      backend,
      context: { ocr, producer: PRODUCER },
      convert: convertOptions(config),
      concurrency: config.ocr.jobs,
      signal: controller.signal,
      events: progress,
      ...(inventory ? { inventory } : {}),
    });
  } finally {
    progress.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await backend.close();
    catalog.close();
  }
}

function jsonReport(report: IngestReport) {
  return {
    library: report.library,
    documents: report.documents.map((d) => ({
      source: d.source,
      status: d.status,
      documentId: d.documentId,
      pdf: d.pdf,
      pages: d.pages,
      indexPending: d.indexPending,
      pageCorrections: d.pageCorrections,
      metadata: d.metadata ? jsonMetadata(d.metadata) : null,
      error: d.error,
    })),
    totals: report.totals,
    indexPending: report.indexPending,
    interrupted: report.interrupted,
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

function summary(report: IngestReport): string {
  const { totals } = report;
  const minutes = report.elapsedSeconds / 60;
  const rate = minutes > 0 ? (totals.pages / minutes).toFixed(1) : '0';
  const lines = [
    `${report.interrupted ? 'Interrupted' : 'Done'}: ${totals.documents} document(s) — ${totals.indexed} indexed, ${totals.skipped} skipped (unchanged), ${totals.failed} failed; ${totals.pages} page(s) processed in ${report.elapsedSeconds.toFixed(1)} s (${rate} pages/min).`,
    `Library: ${report.library}`,
  ];
  if (report.indexPending > 0) lines.push(`${report.indexPending} index update(s) are waiting; run \`acervo index --sync\` once the search backend is reachable.`);
  return lines.join('\n');
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
