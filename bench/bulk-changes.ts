/**
 * Bulk changes at the scale of a big box (issue 25, point 5): a library of 20,000 two-page
 * documents recorded through the catalog, 10,000 of them in one box, with the embedded index built
 * from it. Timed: finding the box's documents, the preview (reading them and what would change),
 * the change itself (one transaction), the index following it (the outbox drained as serve does
 * after a change), searches answered from a search thread meanwhile, walking a search's results
 * to document ids as a search selection does, and the revert with its index update.
 *
 *     npm run bench -- --bulk-only
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessPolicy } from '../core/access/policy.js';
import { summarize } from '../core/catalog/bulk-selection.js';
import { Catalog, type ConvertedRecord } from '../core/catalog/catalog.js';
import { prepareLibrary } from '../core/library.js';
import type { ConvertedDocument } from '../core/model.js';
import { syncIndex } from '../core/pipeline/index-sync.js';
import { rebuildIndex } from '../core/pipeline/rebuild-index.js';
import { catalogPageTexts } from '../core/catalog/page-texts.js';
import { openEmbeddedIndex } from '../core/search/embedded/embedded-backend.js';
import { searchOnThreads } from '../core/search/embedded/search-threads.js';
import type { SearchBackend } from '../core/search/search-backend.js';
import { resolveSelection } from '../web/bulk-selection.js';
import { prng } from './scale/archive-text.js';
import { printTable } from './table.js';

const STREETS = ['das Acácias', 'Tiradentes', 'XV de Novembro', 'do Comércio', 'São Bento', 'da Matriz', 'Sete de Setembro', 'das Flores'];
const WORDS = ['requerimento', 'licença', 'vistoria', 'despacho', 'parecer', 'alvará', 'obra', 'reforma', 'fiscal', 'deferido', 'arquive-se', 'protocolo', 'engenheiro', 'lote', 'quadra'];

function documentOf(i: number, box: string, random: () => number): ConvertedDocument {
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
  const text = (page: number) => `PROCESSO ${i}/1987 folha ${page}. Requerimento de licença para obra na Rua ${STREETS[i % STREETS.length]} ${i % 400}. ${words(60)}`;
  return {
    partNo: 1, sourcePages: null, separator: null, tempFile: '', outputSha256: `s${i}`, outputBytes: 1, pdfConformance: null, pdfConformanceNote: null,
    metadata: { title: `Processo ${i}/1987`, documentType: 'processo', collection: 'Obras', year: 1987, date: null, language: 'pt', personalData: false, notes: null, dates: [], identifiers: [], taxNumbers: [], box, series: null },
    pages: [1, 2].map((page) => ({ pageNo: page, pdfPageNo: page, text: text(page), confidence: 90, textSource: 'ocr' as const, widthPt: 595, heightPt: 842, dpi: 300, dpiAssumed: false, corrections: null })),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
async function timed<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** The index's writes timed one by one: the longest is how long one batch holds serve's thread. */
function timedBackend(backend: SearchBackend, batches: number[]): SearchBackend {
  return { ...backend, apply: async (changes) => void batches.push((await timed(() => backend.apply(changes))).ms) };
}

/** Searches answered from a search thread while `work` runs: their times. */
async function searchingDuring(threads: SearchBackend, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let done = false;
  const searching = (async () => {
    for (let i = 0; !done; i++) times.push((await timed(() => threads.search({ text: `${WORDS[i % WORDS.length]} ${STREETS[i % STREETS.length]!.split(' ').pop()}`, limit: 20, offset: 0, facets: true }))).ms);
  })();
  await work();
  done = true;
  await searching;
  return times;
}

export async function benchBulkChanges(documents = 20_000, inBox = 10_000): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'acervo-bench-bulk-'));
  console.log(`Bulk changes: ${documents.toLocaleString('en')} two-page documents, ${inBox.toLocaleString('en')} in one box (embedded index)`);
  try {
    const library = await prepareLibrary(root);
    const catalog = Catalog.open(library.catalogFile);
    const random = prng(25);
    for (let i = 0; i < documents; i++) {
      const record: ConvertedRecord = { sourcePath: `/scans/${i}.tif`, relativePath: `Obras/${i}.tif`, mediaType: 'image/tiff', sha256: String(i).padStart(64, '0'), sizeBytes: 1, settings: '{}', documents: [{ outputPath: `documents/${i}.pdf`, document: documentOf(i, i < inBox ? '12' : String(13 + (i % 40)), random) }] };
      catalog.recordConverted(record);
    }
    const writer = openEmbeddedIndex(library.indexFile, { texts: catalogPageTexts(library.catalogFile) });
    await rebuildIndex(catalog, writer);
    const threads = searchOnThreads(writer, { indexFile: library.indexFile, catalogFile: library.catalogFile, threads: 1, budgetMs: 1000, hardLimitMs: 10_000 });
    await threads.ready(10_000);
    const bulk = catalog.bulkChanges();
    const values = { series: 'Licenças de obra', documentType: 'alvara' };
    const rows: string[][] = [];
    try {
      const box = await timed(() => bulk.boxDocumentIds('Obras', '12'));
      rows.push([`the box's documents found (${box.value.length.toLocaleString('en')})`, seconds(box.ms)]);
      const preview = await timed(() => summarize(bulk.documents(box.value), values));
      rows.push(['preview: documents read, what would change', seconds(preview.ms)]);
      const apply = await timed(() => bulk.apply({ ids: box.value, values, author: 'bench', selection: { kind: 'box', collection: 'Obras', box: '12' }, seenUpTo: bulk.seenUpTo(), collections: ['Obras'] }));
      const made = apply.value;
      if ('conflicts' in made || made.change === null) throw new Error('the bulk change was not made');
      const changeId = made.change.id;
      rows.push([`the change: ${made.corrections.toLocaleString('en')} corrections, one transaction`, seconds(apply.ms)]);
      const batches: number[] = [];
      let sync = 0;
      const during = await searchingDuring(threads, async () => void (sync = (await timed(() => syncIndex(catalog, timedBackend(writer, batches)))).ms));
      rows.push([`the index follows: ${batches.length} batches of 200 documents`, seconds(sync)]);
      rows.push(['  longest batch (serve answers no request meanwhile)', seconds(Math.max(...batches))]);
      const sorted = [...during].sort((a, b) => a - b);
      rows.push([`  searches from a search thread meanwhile (${during.length}): median / max`, `${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} / ${sorted[sorted.length - 1]!.toFixed(0)} ms`]);
      const view = new AccessPolicy([], () => []).view({ name: 'bench', role: 'archivist', personalData: false });
      const walk = await timed(() => resolveSelection({ catalog, backend: threads }, view, { search: { q: 'licença', collection: ['Obras'], type: ['alvara'], yearFrom: null, yearTo: null } }));
      rows.push([`a search's results walked to documents (${walk.value.ids.length.toLocaleString('en')} of ${(walk.value.ids.length * 2).toLocaleString('en')} pages)`, seconds(walk.ms)]);
      const revert = await timed(() => bulk.revert(changeId, 'bench', () => true)!);
      rows.push([`the revert: ${revert.value.reverted.toLocaleString('en')} corrections put back`, seconds(revert.ms)]);
      rows.push(['  and its index update', seconds((await timed(() => syncIndex(catalog, writer))).ms)]);
    } finally {
      await threads.close();
      catalog.close();
    }
    printTable(['measure', 'time'], rows);
    console.log('');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
