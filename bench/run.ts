/**
 * `npm run bench`: numbers, not assertions.
 *
 * 1. The bundled samples, ingested with the default settings (the same path as `acervo ingest`):
 *    pages per minute, CPU use, peak memory.
 * 2. CPU seconds per page in each stage, from a serial pass over the samples (stage-cpu.ts).
 * 3. A batch of at least 100 pages (the sample scans copied round after round) through Acervo and,
 *    when installed, the Tesseract CLI and OCRmyPDF on the same files, with the ratios
 *    (throughput.ts). Debian: apt-get install tesseract-ocr tesseract-ocr-por tesseract-ocr-spa ocrmypdf.
 * 4. The distributed queue: pages per minute with 1, 2 and 3 `acervo worker` processes on a local
 *    redis-server (queue-workers.ts; skipped when redis-server is not installed).
 * 5. Search at archive scale: generated libraries of 100,000 and 1,000,000 pages built through the
 *    catalog (cached outside the repository), rebuilt by `acervo reindex`, and searched through the
 *    port and by clerks at once over HTTP (scale/search-scale.ts); then the review queue on them
 *    (scale/review-queue.ts).
 * 6. Redacted copies: a 20-page record of bilevel, grey and colour scans copied with its personal
 *    data burned out (redaction.ts).
 * 7. Hard pages: character error rate per page class (faded carbons, mimeographs, specks,
 *    show-through, stamps, stains, dot matrix, photocopies, phone photos) for Acervo, the
 *    Tesseract CLI and OCRmyPDF --rotate-pages --deskew --clean (hard-pages.ts).
 * 8. The metadata test set (155 records): precision, recall and F1 per field on the text layer and
 *    on the records scanned and read by OCR (metadata-set/).
 * 9. Bulk changes: a box of 10,000 documents previewed, changed, indexed and reverted
 *    (bulk-changes.ts).
 * 10. The public portal: how many citizens at once a `serve --public` answers with p95 under a
 *    second (portal-load.ts); its public set at a million documents (portal-set.ts); and what one
 *    citizen's search costs for the public-set filter with a million public documents, on the
 *    embedded index (on the server's thread and through serve's search threads) and as the
 *    Meilisearch request it would send (portal-search-scale.ts).
 * Also, after 2: the cost of looking for separator codes on a page (separator-read.ts).
 *
 * Each ingest runs in a process of its own, so its peak memory (resident set, OCR workers
 * included) is its own.
 *
 *     npm run bench                                   # all of the above
 *     npm run bench -- --batch-pages 500 --search-pages 0
 *     npm run bench -- --batch-pages 0 --queue-pages 0 --search-pages 100000   # search at 100k pages only
 *     npm run bench -- --compare-fts5 100000          # also SQLite FTS5 on the same library, side by side
 *     npm run bench -- --queue-pages 0                # skip the queue
 *     npm run bench -- --long-document 50,500         # also peak memory on long TIFFs and PDFs (long-document.ts)
 *     npm run bench -- --input some/folder --jobs 2   # your own scans instead of the samples
 *     npm run bench -- --compare                      # also reading accuracy vs the peers on turned pages (compare.ts)
 *     npm run bench -- --no-hard-pages                # skip the hard pages against the peers (hard-pages.ts)
 *     npm run bench -- --hard-pages-only              # only the hard pages (and the black-pen pages, pen-pages.ts); --hard-pages-class carbon: one class
 *     npm run bench -- --no-metadata-set              # skip the metadata test set (metadata-set/bench.ts)
 *     npm run bench -- --metadata-set-only            # only the metadata test set, text layer and scanned, with each miss
 *     npm run bench -- --watch-burst 200,2000         # also bursts into a running acervo watch (watch-burst.ts)
 *     npm run bench -- --redaction-only               # only the redacted copies (redaction.ts)
 *     npm run bench -- --bulk-only                    # only the bulk changes (bulk-changes.ts)
 *     npm run bench -- --review-only --search-pages 1000000   # only the review queue at scale (scale/review-queue.ts)
 *     npm run bench -- --portal-only                  # only the public portal's load (portal-load.ts)
 *     npm run bench -- --portal-set-only --portal-set-documents 1000000   # only the portal's public set at scale (portal-set.ts)
 *     npm run bench -- --portal-search-only --portal-search-documents 1200000   # only the portal's search filter at scale, a million public (portal-search-scale.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { STAGES } from '../core/model.js';
import { findInputs } from '../core/pipeline/find-inputs.js';
import { benchBulkChanges } from './bulk-changes.js';
import { benchPortalLoad } from './portal-load.js';
import { benchPortalSearchScale } from './portal-search-scale.js';
import { benchPortalSet } from './portal-set.js';
import { benchCompare } from './compare.js';
import { benchHardPages } from './hard-pages.js';
import { benchPenPages } from './pen-pages.js';
import { benchMetadataSet } from './metadata-set/bench.js';
import type { IngestMeasure } from './ingest-child.js';
import { benchLongDocuments } from './long-document.js';
import { benchQueueWorkers } from './queue-workers.js';
import { benchRedaction } from './redaction.js';
import { benchReviewAtScale, benchSearchAtScale } from './scale/search-scale.js';
import { benchSeparatorRead } from './separator-read.js';
import sharp from 'sharp';
import { measureStageCpu, type StageCpu } from './stage-cpu.js';
import { printTable } from './table.js';
import { CORES, installed, makeBatch, runAcervo, runOcrmypdf, runTesseractCli, unpackAcervoModels, type PeerMeasure } from './throughput.js';
import { benchWatchBursts } from './watch-burst.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLES = path.join(PROJECT_ROOT, 'samples', 'scans');
/** The built CLI, which the portal bench serves from. */
const PORTAL_CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

interface BenchFlags {
  input?: string[];
  jobs?: string;
  batchPages: string;
  searchPages: string;
  searchPerClass: string;
  searchClients: string;
  reuseIndex?: boolean;
  compareFts5?: string;
  queuePages: string;
  longDocument?: string;
  compare?: boolean;
  watchBurst?: string;
  redactionPages: string;
  redactionOnly?: boolean;
  reviewOnly?: boolean;
  hardPages: boolean;
  hardPagesOnly?: boolean;
  hardPagesClass?: string;
  metadataSet: boolean;
  metadataSetOnly?: boolean;
  bulkDocuments: string;
  bulkOnly?: boolean;
  portalDocuments: string;
  portalOnly?: boolean;
  portalSetDocuments: string;
  portalSetOnly?: boolean;
  portalSearchDocuments: string;
  portalSearchOnly?: boolean;
}

async function main(): Promise<void> {
  const flags = new Command('bench')
    .option('--input <paths...>', 'your own scans to ingest instead of the samples (the batch and peers are skipped)')
    .option('--jobs <n>', 'OCR workers (default: number of cores)')
    .option('--batch-pages <n>', 'pages in the batch run through Acervo and its peers (0 to skip)', '100')
    .option('--queue-pages <n>', 'pages run through the queue with 1, 2 and 3 worker processes (0 to skip)', '40')
    .option('--search-pages <sizes>', 'library sizes searched at scale, comma-separated (0 to skip)', '100000,1000000')
    .option('--search-per-class <n>', 'queries timed per query class', '40')
    .option('--search-clients <n>', 'clerks searching the web page at once', '10')
    .option('--reuse-index', 'search a cached library as indexed before, without timing acervo reindex again')
    .option('--compare-fts5 <sizes>', 'also measure SQLite FTS5 (the engine the embedded index replaced) at these library sizes')
    .option('--long-document <sizes>', 'also peak memory on generated TIFFs and PDFs of these many pages (comma-separated)')
    .option('--compare', 'also compare the clean stage with the Tesseract CLI and OCRmyPDF on turned and skewed pages')
    .option('--watch-burst <sizes>', 'also drop bursts of this many files (comma-separated) into a running acervo watch')
    .option('--redaction-pages <n>', 'pages of the record copied with its personal data burned out (0 to skip)', '20')
    .option('--redaction-only', 'only the redacted copies')
    .option('--review-only', 'only the review queue on the libraries of --search-pages (built if not cached; no index)')
    .option('--no-hard-pages', 'skip reading accuracy against the Tesseract CLI and OCRmyPDF on the hard pages (samples/hard-pages)')
    .option('--hard-pages-only', 'only the hard pages')
    .option('--hard-pages-class <name>', 'the hard pages of one class only (e.g. carbon, or clean); alone, runs only that')
    .option('--no-metadata-set', 'skip precision, recall and F1 per field on the metadata test set (tests/fixtures/metadata-set)')
    .option('--metadata-set-only', 'only the metadata test set (text layer and scanned), with each record\'s misses')
    .option('--bulk-documents <n>', 'documents in the bulk changes library, half of them in the box changed (0 to skip)', '20000')
    .option('--bulk-only', 'only the bulk changes')
    .option('--portal-documents <n>', 'documents in the public portal library (0 to skip the portal load)', '20000')
    .option('--portal-only', 'only the public portal load')
    .option('--portal-set-documents <n>', "documents in the catalog of the portal's public set bench (0 to skip)", '1000000')
    .option('--portal-set-only', "only the portal's public set at scale")
    .option('--portal-search-documents <n>', "documents in the catalog of the portal's search bench, five in six public (0 to skip)", '1200000')
    .option('--portal-search-only', "only the portal's search filter at scale")
    .parse()
    .opts<BenchFlags>();
  const jobs = flags.jobs ? Number(flags.jobs) : undefined;

  console.log(`Acervo bench — ${CORES} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}\n`);
  const redactionPages = Number(flags.redactionPages);
  if (flags.redactionOnly) return benchRedaction(redactionPages || 20);
  if (flags.reviewOnly) return benchReviewAtScale(flags.searchPages.split(',').map(Number).filter((n) => n > 0));
  if (flags.hardPagesOnly || flags.hardPagesClass) {
    await benchHardPages(flags.hardPagesClass);
    if (!flags.hardPagesClass || flags.hardPagesClass === 'stamps') await benchPenPages();
    return;
  }
  if (flags.metadataSetOnly) return void (await benchMetadataSet({ misses: true }));
  const bulkDocuments = Number(flags.bulkDocuments);
  if (flags.bulkOnly) return benchBulkChanges(bulkDocuments || 20_000, Math.floor((bulkDocuments || 20_000) / 2));
  const portalDocuments = Number(flags.portalDocuments);
  if (flags.portalOnly) return benchPortalLoad(PORTAL_CLI, { documents: portalDocuments || 20_000 });
  const portalSetDocuments = Number(flags.portalSetDocuments);
  if (flags.portalSetOnly) return benchPortalSet(portalSetDocuments || 1_000_000);
  const portalSearchDocuments = Number(flags.portalSearchDocuments);
  if (flags.portalSearchOnly) return benchPortalSearchScale(portalSearchDocuments || 1_200_000);
  const inputs = flags.input ?? [SAMPLES];
  printIngest(`Ingest: ${inputs.join(', ')}`, await runAcervo(inputs, jobs));
  await benchStageCpu(inputs);
  if (!flags.input) await benchSeparatorRead(SAMPLES);
  const batchPages = Number(flags.batchPages);
  if (!flags.input && batchPages > 0) await benchBatch(batchPages, jobs);
  const queuePages = Number(flags.queuePages);
  if (!flags.input && queuePages > 0) await benchQueueWorkers(SAMPLES, queuePages, [1, 2, 3]);
  if (flags.longDocument) await benchLongDocuments(flags.longDocument.split(',').map(Number), jobs);
  const searchSizes = flags.searchPages.split(',').map(Number).filter((n) => n > 0);
  if (searchSizes.length > 0) {
    await benchSearchAtScale(searchSizes, {
      perClass: Number(flags.searchPerClass),
      clients: Number(flags.searchClients),
      reuseIndex: Boolean(flags.reuseIndex),
      compareFts5: (flags.compareFts5 ?? '').split(',').map(Number).filter((n) => n > 0),
    });
  }
  if (redactionPages > 0) await benchRedaction(redactionPages);
  if (bulkDocuments > 0) await benchBulkChanges(bulkDocuments, Math.floor(bulkDocuments / 2));
  if (portalDocuments > 0) await benchPortalLoad(PORTAL_CLI, { documents: portalDocuments });
  if (portalSetDocuments > 0) await benchPortalSet(portalSetDocuments);
  if (portalSearchDocuments > 0) await benchPortalSearchScale(portalSearchDocuments);
  if (flags.compare) await benchCompare();
  if (flags.hardPages) {
    await benchHardPages();
    await benchPenPages();
  }
  if (flags.metadataSet) await benchMetadataSet();
  if (flags.watchBurst) await benchWatchBursts(flags.watchBurst.split(',').map(Number), jobs);
}

function printIngest(title: string, m: IngestMeasure): void {
  console.log(title);
  console.log(`  languages por+spa+eng, ${m.workers} OCR workers (started in ${m.ocrStartSeconds.toFixed(1)} s, not counted below)`);
  printTable(
    ['measure', 'value'],
    [
      ['documents (failed)', `${m.documents} (${m.failed})`],
      ['pages', String(m.pages)],
      ['elapsed', `${m.elapsedSeconds.toFixed(1)} s`],
      ['pages per minute', perMinute(m.pages, m.elapsedSeconds)],
      ['seconds per page', (m.elapsedSeconds / Math.max(1, m.pages)).toFixed(2)],
      ['CPU seconds per page', (m.cpuSeconds / Math.max(1, m.pages)).toFixed(2)],
      ['cores busy', `${(m.cpuSeconds / m.elapsedSeconds).toFixed(2)} of ${CORES}`],
      ['peak memory (RSS)', `${m.peakRssMB.toFixed(0)} MB`],
      ['OCR workers replaced / pages retried', `${m.workersReplaced} / ${m.pagesRetried}`],
    ],
  );
  for (const error of m.errors) console.log(`  failed: ${error}`);
  console.log('');
}

async function benchStageCpu(inputs: string[]): Promise<void> {
  const { files } = await findInputs(inputs, []);
  const r = await measureStageCpu(files);
  const pages = Math.max(1, r.pages);
  const staged = Object.values(r.cpu).reduce((a, b) => a + b, 0);
  console.log(`CPU seconds per page, by stage (${r.pages} pages read one at a time by one OCR worker)`);
  printTable(
    ['stage', 'CPU s/page', 'share'],
    [
      ...STAGES.filter((stage) => r.cpu[stage] !== undefined).map((stage) => [stage, (r.cpu[stage]! / 1000 / pages).toFixed(3), `${((100 * r.cpu[stage]!) / staged).toFixed(1)}%`]),
      ['all stages', (staged / 1000 / pages).toFixed(3), '100%'],
      ['whole pass (process)', (r.totalCpuMs / 1000 / pages).toFixed(3), ''],
    ],
  );
  console.log('  orient: Tesseract orientation detection, and a band read when it is unsure; clean: blank check, paper, skew, straightening.');
  console.log(`  orientation detected on ${r.orientationChecks} of ${r.pages} pages; the others had lines across and read clearly upright.\n`);
  await printOutputSizes(r.outputs);
}

/** Bytes per page of each searchable PDF, by what its input was (issue 11's "compact" target). */
async function printOutputSizes(outputs: StageCpu['outputs']): Promise<void> {
  console.log('Output size per page, by input (the text layer and metadata included)');
  const rows: string[][] = [];
  for (const o of outputs) rows.push([o.file, await inputKind(o.source, o.mediaType), String(o.pages), (o.bytes / 1024 / Math.max(1, o.pages)).toFixed(1), o.conformance ?? 'plain PDF']);
  printTable(['file', 'input', 'pages', 'KB/page', 'format'], rows);
  console.log('  Bilevel pages are stored G4 (a single-strip G4 TIFF page byte for byte), JPEGs as they came, grey/colour lossless unless JPEG at output.jpegQuality halves them.\n');
}

async function inputKind(file: string, mediaType: string): Promise<string> {
  if (mediaType === 'application/pdf') return 'PDF';
  const meta = await sharp(file).metadata().catch(() => null);
  const depth = meta?.bitsPerSample === 1 ? 'bilevel' : meta?.channels === 1 ? 'grey' : 'colour';
  return `${mediaType.replace('image/', '').toUpperCase()} ${depth}, ${meta?.density ?? '?'} DPI`;
}

async function benchBatch(minPages: number, jobs: number | undefined): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-batch-'));
  try {
    const batch = await makeBatch(SAMPLES, path.join(work, 'batch'), minPages);
    const acervo = await runAcervo([batch.folder], jobs);
    printIngest(`Batch: ${batch.files.length} scans, ${batch.pages} pages (the sample images, copied round after round)`, acervo);
    const parallel = jobs ?? CORES;
    const peers: PeerMeasure[] = [];
    if (await installed('tesseract')) {
      peers.push(await runTesseractCli(batch, path.join(work, 'tesseract'), parallel));
      peers.push(await runTesseractCli(batch, path.join(work, 'tesseract-best-int'), parallel, unpackAcervoModels(path.join(work, 'tessdata'))));
    } else console.log('  Tesseract CLI: not installed, skipped (apt-get install tesseract-ocr tesseract-ocr-por tesseract-ocr-spa).');
    if (await installed('ocrmypdf')) peers.push(await runOcrmypdf(batch, path.join(work, 'ocrmypdf'), parallel));
    else console.log('  OCRmyPDF: not installed, skipped (apt-get install ocrmypdf).');
    if (peers.length === 0) return;

    const pages = batch.pages;
    const acervoWall = acervo.elapsedSeconds / pages;
    console.log(`The same ${pages} pages, ${parallel} at a time, by each tool`);
    printTable(
      ['tool', 'pages/min', 's/page', 'CPU s/page', 'failed files'],
      [
        ['Acervo', perMinute(pages, acervo.elapsedSeconds), acervoWall.toFixed(2), (acervo.cpuSeconds / pages).toFixed(2), String(acervo.failed)],
        ...peers.map((p) => [p.name, perMinute(pages, p.elapsedSeconds), (p.elapsedSeconds / pages).toFixed(2), (p.cpuSeconds / pages).toFixed(2), String(p.failed)]),
      ],
    );
    console.log('\nRatios');
    const rows: string[][] = [];
    for (const p of peers) {
      if (p.name.startsWith('OCRmyPDF')) {
        rows.push([`Acervo pages/min ÷ ${p.name} pages/min`, (p.elapsedSeconds / acervo.elapsedSeconds).toFixed(2), '> 1']);
      } else {
        const bound = p.cpuSeconds / pages / parallel;
        rows.push([`Acervo s/page ÷ (${p.name}: CPU s/page ÷ ${parallel} cores)`, (acervoWall / bound).toFixed(2), '≤ 1.25']);
      }
    }
    printTable(['ratio', 'value', 'goal'], rows);
    console.log('  The Tesseract CLI only reads (no orientation, deskew, blank or metadata); OCRmyPDF and Acervo also turn and straighten pages.\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function perMinute(pages: number, seconds: number): string {
  return (pages / (seconds / 60)).toFixed(1);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
