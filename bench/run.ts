/**
 * `npm run bench`: numbers, not assertions. Ingests the bundled samples into a fresh temporary
 * library with the default settings (the same path as `acervo ingest`), then times the embedded
 * search index on a synthetic archive.
 *
 * Printed: pages per minute, seconds per page in each stage, peak memory (resident set of the
 * whole process, OCR worker threads included), and search latencies.
 *
 * Stage seconds are wall time inside each stage summed over pages; "recognize" is the time the
 * OCR worker spent on the page (queue waiting excluded). With several workers the stages overlap,
 * so their sum exceeds the elapsed time per page.
 *
 *     npm run bench                       # samples + 20,000-page search index
 *     npm run bench -- --search-pages 100000
 *     npm run bench -- --input some/folder --jobs 2
 *     npm run bench -- --compare          # also Acervo vs Tesseract CLI vs OCRmyPDF (see compare.ts)
 *     npm run bench -- --watch-burst 200,2000   # also bursts into a running acervo watch (watch-burst.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { Catalog } from '../core/catalog/catalog.js';
import { prepareLibrary } from '../core/library.js';
import { STAGES, type StageTimings } from '../core/model.js';
import { ingestBatch } from '../core/pipeline/ingest-batch.js';
import { convertOptions, openSearchBackend, PRODUCER, startOcr } from '../cli/runtime.js';
import { benchCompare } from './compare.js';
import { benchSearch } from './search-bench.js';
import { benchWatchBursts } from './watch-burst.js';
import { printTable } from './table.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface BenchFlags {
  input: string[];
  jobs?: string;
  searchPages: string;
  compare?: boolean;
  watchBurst?: string;
}

async function main(): Promise<void> {
  const flags = new Command('bench')
    .option('--input <paths...>', 'scans to ingest', [path.join(PROJECT_ROOT, 'samples', 'scans')])
    .option('--jobs <n>', 'OCR workers (default: number of cores)')
    .option('--search-pages <n>', 'pages in the synthetic search index (0 to skip)', '20000')
    .option('--compare', 'also compare the clean stage with the Tesseract CLI and OCRmyPDF on turned and skewed pages')
    .option('--watch-burst <sizes>', 'also drop bursts of this many files (comma-separated) into a running acervo watch')
    .parse()
    .opts<BenchFlags>();

  console.log(`Acervo bench — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}\n`);
  await benchIngest(flags.input, flags.jobs ? Number(flags.jobs) : undefined);
  const searchPages = Number(flags.searchPages);
  if (searchPages > 0) await benchEmbeddedSearch(searchPages);
  if (flags.compare) await benchCompare();
  if (flags.watchBurst) await benchWatchBursts(flags.watchBurst.split(',').map(Number), flags.jobs ? Number(flags.jobs) : undefined);
}

async function benchIngest(inputs: string[], jobs: number | undefined): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-bench-'));
  try {
    // Defaults only: a local acervo.yaml or ACERVO_* variables must not change what is measured.
    const config = loadConfig({ env: {}, cwd: work, flags: { library: path.join(work, 'library'), ocr: { jobs } } });
    const startedOcr = performance.now();
    const ocr = await startOcr(config);
    const ocrStartSeconds = (performance.now() - startedOcr) / 1000;
    const library = await prepareLibrary(config.library!);
    const catalog = Catalog.open(library.catalogFile);
    const backend = openSearchBackend(config, library);
    try {
      const report = await ingestBatch(inputs, {
        library,
        catalog,
        backend,
        context: { ocr, producer: PRODUCER },
        convert: convertOptions(config),
        concurrency: config.ocr.jobs,
      });
      const { totals } = report;
      const pages = Math.max(1, totals.pages);
      const timings: StageTimings = {};
      for (const outcome of report.documents) {
        for (const [stage, ms] of Object.entries(outcome.timings)) timings[stage as keyof StageTimings] = (timings[stage as keyof StageTimings] ?? 0) + ms;
      }

      console.log(`Ingest: ${inputs.join(', ')}`);
      console.log(`  languages ${config.ocr.languages.join('+')}, ${config.ocr.jobs} OCR workers (started in ${ocrStartSeconds.toFixed(1)} s, not counted below)`);
      printTable(
        ['measure', 'value'],
        [
          ['documents (indexed / failed)', `${totals.documents} (${totals.indexed} / ${totals.failed})`],
          ['pages', String(totals.pages)],
          ['elapsed', `${report.elapsedSeconds.toFixed(1)} s`],
          ['pages per minute', (totals.pages / (report.elapsedSeconds / 60)).toFixed(1)],
          ['peak memory (RSS)', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`],
        ],
      );
      console.log('\nSeconds per page, by stage (summed over pages; stages overlap across workers)');
      printTable(
        ['stage', 's/page', 'share'],
        STAGES.map((stage) => {
          const ms = timings[stage] ?? 0;
          const all = Object.values(timings).reduce((a, b) => a + b, 0);
          return [stage, (ms / 1000 / pages).toFixed(3), `${((100 * ms) / Math.max(1, all)).toFixed(1)}%`];
        }),
      );
    } finally {
      await ocr.close();
      await backend.close();
      catalog.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function benchEmbeddedSearch(pages: number): Promise<void> {
  const r = await benchSearch({ pages });
  console.log(`\nEmbedded search (SQLite FTS5): ${r.pages} synthetic pages in ${r.documents} documents`);
  printTable(
    ['measure', 'value'],
    [
      ['index build', `${(r.buildMs / 1000).toFixed(1)} s (${r.pagesPerSecond.toFixed(0)} pages/s)`],
      ['index size', `${r.indexMB.toFixed(1)} MB`],
      ['queries timed', String(r.queries)],
      ['all queries p50 / p95 / max', `${r.p50Ms.toFixed(1)} / ${r.p95Ms.toFixed(1)} / ${r.maxMs.toFixed(1)} ms`],
      ['exact words p50 / p95', `${r.exactP50Ms.toFixed(1)} / ${r.exactP95Ms.toFixed(1)} ms`],
      ['prefix p50 / p95', `${r.prefixP50Ms.toFixed(1)} / ${r.prefixP95Ms.toFixed(1)} ms`],
      ['typo p50 / p95', `${r.typoP50Ms.toFixed(1)} / ${r.typoP95Ms.toFixed(1)} ms`],
      ['filtered p50 / p95', `${r.filteredP50Ms.toFixed(1)} / ${r.filteredP95Ms.toFixed(1)} ms`],
      ['page search over HTTP p50 / p95', `${r.httpP50Ms.toFixed(1)} / ${r.httpP95Ms.toFixed(1)} ms (facets, 20 hits)`],
      ['mean hits per query', r.meanTotal.toFixed(0)],
    ],
  );
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
