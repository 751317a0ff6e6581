/**
 * Citizens on the public portal (issue 26, point 4): a real `acervo serve --public` process on
 * loopback, over a library of 20,000 two-page documents recorded through the catalog (six public
 * types and one not, embedded index), and N citizens at once, each going home page → a search by
 * subject (now and then with a type or a year) → a document from its results → again, reading
 * each page for 0.5–1.5 s before the next. The crowd grows until the 95th percentile of page
 * times passes one second; the figure is the largest crowd served under it. The load generator
 * (Node's fetch) runs on the same 2 cores as the server, so the figure is a floor.
 *
 * PDFs are not asked for: a redacted copy is made once per document and kept (half a second a
 * page with a box, on the server's thread), which is worth its own bench.
 *
 *     npm run bench -- --portal-only
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog, type ConvertedRecord } from '../core/catalog/catalog.js';
import { prepareLibrary } from '../core/library.js';
import type { ConvertedDocument } from '../core/model.js';
import { rebuildIndex } from '../core/pipeline/rebuild-index.js';
import { catalogPageTexts } from '../core/catalog/page-texts.js';
import { openEmbeddedIndex } from '../core/search/embedded/embedded-backend.js';
import { prng } from './scale/archive-text.js';
import { percentile } from './scale/query-classes.js';
import { residentMB } from './scale/measured-process.js';
import { printTable } from './table.js';

const TYPES = ['lei', 'decreto', 'portaria', 'edital', 'contrato', 'ata', 'processo'];
const SUBJECTS = ['iluminação', 'pavimentação', 'merenda', 'transporte', 'saneamento', 'praça', 'escola', 'posto de saúde', 'licitação', 'concurso', 'tributo', 'feira', 'cemitério', 'ponte', 'água', 'lixo', 'servidor', 'orçamento', 'convênio', 'estrada'];
const FILLER = ['dispõe', 'sobre', 'município', 'prefeitura', 'artigo', 'parágrafo', 'fica', 'autorizado', 'poder', 'executivo', 'crédito', 'vigor', 'data', 'publicação', 'revogadas', 'disposições', 'contrário'];

function documentOf(i: number, random: () => number): ConvertedDocument {
  const type = TYPES[i % TYPES.length]!;
  const year = 1960 + (i % 60);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  const text = (page: number) => `${type.toUpperCase()} Nº ${i}/${year} folha ${page}. Dispõe sobre ${pick(SUBJECTS)} e ${pick(SUBJECTS)}. ${Array.from({ length: 120 }, () => pick(FILLER)).join(' ')}`;
  return {
    partNo: 1, sourcePages: null, separator: null, tempFile: '', outputSha256: `s${i}`, outputBytes: 1, pdfConformance: null, pdfConformanceNote: null,
    metadata: { title: `${type.charAt(0).toUpperCase()}${type.slice(1)} nº ${i}/${year}`, documentType: type, collection: 'Atos', year, date: `${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, language: 'pt', personalData: false, notes: null, dates: [], identifiers: [], taxNumbers: [], box: String(i % 50), series: null },
    pages: [1, 2].map((page) => ({ pageNo: page, pdfPageNo: page, text: text(page), confidence: 90, textSource: 'ocr' as const, widthPt: 595, heightPt: 842, dpi: 300, dpiAssumed: false, corrections: null })),
  };
}

interface Level {
  citizens: number;
  pages: number;
  failed: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  rssMB: number;
}

export async function benchPortalLoad(cli: string, options: { documents?: number; secondsPerLevel?: number; levels?: number[] } = {}): Promise<void> {
  const documents = options.documents ?? 20_000;
  const secondsPerLevel = options.secondsPerLevel ?? 15;
  const levels = options.levels ?? [25, 50, 100, 200, 400, 800, 1600];
  const root = mkdtempSync(path.join(os.tmpdir(), 'acervo-bench-portal-'));
  console.log(`Public portal: ${documents.toLocaleString('en')} two-page documents (6 of 7 types public), citizens reading 0.5–1.5 s between pages, ${secondsPerLevel} s per crowd size`);
  try {
    const library = await prepareLibrary(root);
    const catalog = Catalog.open(library.catalogFile);
    const random = prng(26);
    for (let i = 0; i < documents; i++) {
      const record: ConvertedRecord = { sourcePath: `/scans/${i}.tif`, relativePath: `Atos/${i}.tif`, mediaType: 'image/tiff', sha256: String(i).padStart(64, '0'), sizeBytes: 1, settings: '{}', documents: [{ outputPath: `documents/${i}.pdf`, document: documentOf(i, random) }] };
      catalog.recordConverted(record);
    }
    const writer = openEmbeddedIndex(library.indexFile, { texts: catalogPageTexts(library.catalogFile) });
    await rebuildIndex(catalog, writer);
    await writer.close();
    catalog.close();
    const config = path.join(root, 'acervo.json');
    writeFileSync(config, JSON.stringify({ serve: { requestsPerMinute: 10_000_000 }, portal: { publicTypes: TYPES.slice(0, 6), requestsPerMinute: 100_000 } }));
    const server = spawn(process.execPath, [cli, 'serve', '--public', '--library', root, '--config', config, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const rows: Level[] = [];
    try {
      const url = await listening(server.stderr!);
      // One citizen first, so the server's first answers (warm-up) are not counted.
      await crowd(url, 5, 3, random);
      for (const citizens of levels) {
        const times = await crowd(url, citizens, secondsPerLevel, random);
        const sorted = times.ok.sort((a, b) => a - b);
        const level = { citizens, pages: sorted.length, failed: times.failed, perSecond: sorted.length / secondsPerLevel, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), rssMB: residentMB(server.pid!).rss };
        rows.push(level);
        console.log(`  ${citizens} citizens: ${level.perSecond.toFixed(0)} pages/s, p95 ${level.p95.toFixed(0)} ms`);
        if (level.p95 >= 1000 || level.failed > 0) break;
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    printTable(
      ['citizens at once', 'pages served', 'pages/s', 'failed', 'p50 ms', 'p95 ms', 'p99 ms', 'server RSS MB'],
      rows.map((row) => [String(row.citizens), String(row.pages), row.perSecond.toFixed(0), String(row.failed), row.p50.toFixed(0), row.p95.toFixed(0), row.p99.toFixed(0), row.rssMB.toFixed(0)]),
    );
    const served = rows.filter((row) => row.p95 < 1000 && row.failed === 0).at(-1);
    console.log(served ? `Served with p95 under 1 s: ${served.citizens} citizens at once (${served.perSecond.toFixed(0)} pages/s)${served === rows.at(-1) ? ', the largest crowd tried' : ''}.` : 'Not even the smallest crowd was served with p95 under 1 s.');
    console.log('');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** `citizens` browsing for `seconds`: each page's time (ok answers) and how many failed. */
async function crowd(url: string, citizens: number, seconds: number, random: () => number): Promise<{ ok: number[]; failed: number }> {
  const ok: number[] = [];
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const page = async (where: string): Promise<string | null> => {
    const started = performance.now();
    try {
      const response = await fetch(`${url}${where}`);
      const body = await response.text();
      if (performance.now() <= until) {
        if (response.ok) ok.push(performance.now() - started);
        else failed += 1;
      }
      return response.ok ? body : null;
    } catch {
      failed += 1;
      return null;
    }
  };
  const read = () => new Promise((resolve) => setTimeout(resolve, 500 + random() * 1000));
  await Promise.all(
    Array.from({ length: citizens }, async (_, n) => {
      // Spread the start over the first second, as people arrive.
      await new Promise((resolve) => setTimeout(resolve, (n / citizens) * 1000));
      while (performance.now() < until) {
        await page('/transparencia');
        await read();
        const subject = SUBJECTS[Math.floor(random() * SUBJECTS.length)]!;
        const filter = random() < 0.3 ? `&tipo=${TYPES[Math.floor(random() * 6)]}` : random() < 0.2 ? `&ano=${1960 + Math.floor(random() * 60)}` : '';
        const results = await page(`/transparencia/busca?q=${encodeURIComponent(subject)}${filter}&pagina=${1 + Math.floor(random() * 3)}`);
        await read();
        const ids = [...(results ?? '').matchAll(/\/transparencia\/d\/([a-z2-9]{16})/g)].map((m) => m[1]!);
        if (ids.length > 0) {
          await page(`/transparencia/d/${ids[Math.floor(random() * ids.length)]}`);
          await read();
        }
      }
    }),
  );
  return { ok, failed };
}

function listening(stderr: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`acervo serve --public did not start: ${seen.slice(-500)}`)), 120_000);
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      seen += chunk;
      const url = /"event":"web.listening","url":"(http:[^"]+)"/.exec(seen)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
  });
}
