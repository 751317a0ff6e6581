/**
 * One measured ingest, in a process of its own so its peak memory is its own: the inputs into a
 * fresh temporary library with the default settings (the same path as `acervo ingest`). Prints
 * one JSON line (IngestMeasure). Run by the benchmark, not by users.
 *
 *     node dist/bench/ingest-child.js [--jobs N] <inputs...>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { Catalog } from '../core/catalog/catalog.js';
import { prepareLibrary } from '../core/library.js';
import type { StageTimings } from '../core/model.js';
import { ingestBatch } from '../core/pipeline/ingest-batch.js';
import { localConverter } from '../core/pipeline/converter.js';
import { convertOptions, documentsInHand, openSearchBackend, pipelineContext, startOcr } from '../cli/runtime.js';

export interface IngestMeasure {
  documents: number;
  failed: number;
  pages: number;
  workers: number;
  ocrStartSeconds: number;
  /** From the first document to the last, OCR start excluded. */
  elapsedSeconds: number;
  /** The process's CPU time over the same span (every thread). */
  cpuSeconds: number;
  /** Peak resident memory of the process over its whole life, OCR workers included. */
  peakRssMB: number;
  /** Wall time per stage, summed over pages (stages overlap across workers). */
  timings: StageTimings;
  /** Workers replaced after a crash or hang, and pages tried again. */
  workersReplaced: number;
  pagesRetried: number;
  /** Why documents failed. */
  errors: string[];
}

async function main(): Promise<void> {
  const program = new Command('ingest-child').option('--jobs <n>').argument('<inputs...>').parse();
  const jobs = program.opts<{ jobs?: string }>().jobs;
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-bench-'));
  try {
    // Defaults only: a local acervo.yaml or ACERVO_* variables must not change what is measured.
    const config = loadConfig({ env: {}, cwd: work, flags: { library: path.join(work, 'library'), ocr: { jobs: jobs ? Number(jobs) : undefined } } });
    const startedOcr = performance.now();
    const ocr = await startOcr(config);
    const ocrStartSeconds = (performance.now() - startedOcr) / 1000;
    const library = await prepareLibrary(config.library!);
    const catalog = Catalog.open(library.catalogFile);
    const backend = await openSearchBackend(config, library);
    try {
      const cpu = process.cpuUsage();
      const report = await ingestBatch(program.args, {
        library,
        catalog,
        backend,
        converter: localConverter(pipelineContext(ocr), documentsInHand(config)),
        convert: convertOptions(config),
        concurrency: documentsInHand(config),
      });
      const used = process.cpuUsage(cpu);
      const measure: IngestMeasure = {
        documents: report.totals.documents,
        failed: report.totals.failed,
        pages: report.totals.pages,
        workers: config.ocr.jobs,
        ocrStartSeconds,
        elapsedSeconds: report.elapsedSeconds,
        cpuSeconds: (used.user + used.system) / 1e6,
        peakRssMB: process.resourceUsage().maxRSS / 1024,
        timings: report.timings,
        workersReplaced: ocr.counters.replaced,
        pagesRetried: ocr.counters.retried,
        errors: report.documents.flatMap((d) => (d.error ? [`${path.basename(d.source)}: ${d.error.code} ${d.error.message}`] : [])),
      };
      process.stdout.write(`${JSON.stringify(measure)}\n`);
    } finally {
      await ocr.close();
      await backend.close();
      catalog.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`ingest-child failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
