/**
 * Batch scans cut into their documents (issue 12): a box scanned in one go, with separator sheets
 * (plain and with metadata, one of them fed crooked at 200 DPI in black and white), blank-page
 * separation with one and two blank pages, a batch with no separator, a re-ingest that changes how
 * the batch is cut, and an inbox configured to split.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { separatorSheetPdf } from '../../core/separation/separator-sheet.js';
import { batchPdf, batchTiff, blankPage, scanOfPdf, textPage, type ScannedPage } from '../helpers/batch-scan.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { chromium } from 'playwright-core';
import { signIn, startServer, USERS } from '../helpers/server.js';

const CHROMIUM = '/usr/bin/chromium';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-split-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const pdfPages = async (file: string) => (await PDFDocument.load(readFileSync(file))).getPageCount();

async function search(library: string, query: string): Promise<Array<{ documentId: number; pdf: string; page: number }>> {
  const run = await runCli(['search', query, '--library', library, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return parseJsonOutput(run).hits;
}

// Each document of the box has words of its own, to find it by.
const alvara = () => textPage(['ALVARÁ DE CONSTRUÇÃO Nº 412/1987', 'Rua das Flores, lote 7', 'Requerente: José da Silva']);
const alvaraVerso = () => textPage(['Planta aprovada em 12 de março de 1987', 'Engenheiro responsável: Paulo Mendes']);
const memorando = () => textPage(['MEMORANDO Nº 88/1995', 'Assunto: reforma da escola Anchieta']);
const certidao = () => textPage(['CERTIDÃO NEGATIVA DE DÉBITOS', 'Contribuinte: Maria Aparecida Souza']);

describe('acervo separator-sheet', () => {
  it('writes the printable sheets, whose code reads back from a crooked black-and-white scan', async () => {
    const file = path.join(work, 'sheets', 'obras-12.pdf');
    mkdirSync(path.dirname(file), { recursive: true });
    const run = await runCli(['separator-sheet', '-o', file, '--field', 'coleção=Obras', '--field', 'caixa=12', '--copies', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(parseJsonOutput(run)).toEqual({ output: file, code: 'ACERVO:collection=Obras;box=12', copies: 2, metadata: { collection: 'Obras', box: '12' } });
    expect(await pdfPages(file)).toBe(2);
    const scan = await scanOfPdf(readFileSync(file), { dpi: 200, skew: -4, bilevel: true });
    const { readPageBarcodes } = await import('../../core/separation/barcode-reader.js');
    const { data, info } = await (await import('sharp')).default(scan.png).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(await readPageBarcodes({ width: info.width, height: info.height, channels: 1, data, dpiX: 200, dpiY: 200, dpiAssumed: false })).toContain('ACERVO:collection=Obras;box=12');
  });

  it('refuses a field it does not know and an existing file, with exit code 1', async () => {
    const file = path.join(work, 'sheets', 'x.pdf');
    const bad = await runCli(['separator-sheet', '-o', file, '--field', 'colour=red']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error USAGE: --field: unknown field "colour"/);
    expect(existsSync(file)).toBe(false);
    expect((await runCli(['separator-sheet', '-o', file])).code).toBe(0);
    const again = await runCli(['separator-sheet', '-o', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists; choose another --output or add --force/);
  });
});

describe('acervo ingest --split barcode: a box scanned in one PDF with separator sheets', () => {
  const dir = path.join(work, 'barcode');
  const batch = path.join(dir, 'scans', 'caixa-12.pdf');
  const library = path.join(dir, 'library');
  let report: any;
  let originalSha: string;

  beforeAll(async () => {
    mkdirSync(path.dirname(batch), { recursive: true });
    const plain = (await separatorSheetPdf(null)).pdf;
    const obras = (await separatorSheetPdf({ collection: 'Obras', box: '12', title: 'Memorando da reforma' })).pdf;
    const pages: ScannedPage[] = [
      await scanOfPdf(plain, { dpi: 200 }), // 1: a sheet before the first document too
      await alvara(), // 2
      await alvaraVerso(), // 3
      // 4: mis-scanned: crooked, black and white, 200 DPI; 5: its blank back (duplex)
      await scanOfPdf(obras, { dpi: 200, skew: 5, bilevel: true, specks: 0.002 }),
      await blankPage(),
      await memorando(), // 6
      await scanOfPdf(plain, { dpi: 200, skew: 183, bilevel: true }), // 7: fed upside down
      await certidao(), // 8
    ];
    writeFileSync(batch, await batchPdf(pages));
    originalSha = sha256(batch);
    const run = await runCli(['ingest', path.dirname(batch), '--library', library, '--split', 'barcode', '--json']);
    expect(run.code, run.stderr).toBe(0);
    report = parseJsonOutput(run);
  }, 300_000);

  it('reports how the batch was cut: its parts with their pages, and every separator page', () => {
    const [doc] = report.documents;
    expect(doc.status).toBe('indexed');
    // The documents' pages (2, 3, 6, 8), as a run that skips the batch reports them; the four separator pages are under split.
    expect(doc.pages).toBe(4);
    expect(doc.split.mode).toBe('barcode');
    expect(doc.split.separators).toEqual([
      { page: 1, kind: 'barcode', text: 'ACERVO-SEP', warnings: [] },
      { page: 4, kind: 'barcode', text: 'ACERVO:collection=Obras;box=12;title=Memorando da reforma', warnings: [] },
      { page: 5, kind: 'blank', text: null, warnings: [] },
      { page: 7, kind: 'barcode', text: 'ACERVO-SEP', warnings: [] },
    ]);
    expect(doc.split.parts.map((p: any) => [p.part, p.sourcePages, p.pages, p.separatorPage])).toEqual([
      [1, { first: 2, last: 3 }, 2, 1],
      [2, { first: 6, last: 6 }, 1, 4],
      [3, { first: 8, last: 8 }, 1, 7],
    ]);
    expect(doc.split.parts[1]).toMatchObject({ title: 'Memorando da reforma', collection: 'Obras', box: '12' });
    expect(doc.split.parts.map((p: any) => path.basename(p.pdf))).toEqual(['caixa-12-01.pdf', 'caixa-12-02.pdf', 'caixa-12-03.pdf']);
    expect(doc.documentId).toBe(doc.split.parts[0].documentId);
  });

  it('writes each part as its own PDF, without the separator pages', async () => {
    const parts = report.documents[0].split.parts;
    expect(await Promise.all(parts.map((p: any) => pdfPages(p.pdf)))).toEqual([2, 1, 1]);
    expect(existsSync(path.join(library, 'documents', 'caixa-12.pdf'))).toBe(false);
    // No hidden part files left behind.
    expect(readdirSync(path.join(library, 'documents')).sort()).toEqual(['caixa-12-01.pdf', 'caixa-12-02.pdf', 'caixa-12-03.pdf']);
  });

  it('finds each document by its own words, at its own page', async () => {
    const parts = report.documents[0].split.parts;
    expect((await search(library, 'Mendes')).map((h) => [h.documentId, h.page])).toEqual([[parts[0].documentId, 2]]);
    expect((await search(library, 'Anchieta')).map((h) => [h.documentId, h.page])).toEqual([[parts[1].documentId, 1]]);
    expect((await search(library, 'Aparecida')).map((h) => [h.documentId, h.page])).toEqual([[parts[2].documentId, 1]]);
    // The sheets' own words are in no document.
    expect(await search(library, 'separadora')).toEqual([]);
  });

  it('keeps a link from each part to the batch file and its pages in the catalog, and the original untouched', async () => {
    const status = await runCli(['status', '--library', library, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT source_path, part_no, part_count, source_first_page, source_last_page, separator_page, collection, box, page_count FROM documents ORDER BY part_no').all();
    db.close();
    expect(rows).toEqual([
      { source_path: batch, part_no: 1, part_count: 3, source_first_page: 2, source_last_page: 3, separator_page: 1, collection: null, box: null, page_count: 2 },
      { source_path: batch, part_no: 2, part_count: 3, source_first_page: 6, source_last_page: 6, separator_page: 4, collection: 'Obras', box: '12', page_count: 1 },
      { source_path: batch, part_no: 3, part_count: 3, source_first_page: 8, source_last_page: 8, separator_page: 7, collection: null, box: null, page_count: 1 },
    ]);
    expect(sha256(batch)).toBe(originalSha);
  });

  it('shows the split in the run report files', () => {
    const saved = JSON.parse(readFileSync(report.report, 'utf8'));
    expect(saved.splits).toHaveLength(1);
    expect(saved.splits[0]).toMatchObject({ file: batch, mode: 'barcode' });
    expect(saved.splits[0].parts.map((p: any) => p.pdf)).toEqual(['documents/caixa-12-01.pdf', 'documents/caixa-12-02.pdf', 'documents/caixa-12-03.pdf']);
    const text = readFileSync(report.report.replace(/\.json$/, '.txt'), 'utf8');
    expect(text).toContain('1 cut into 3 documents');
    expect(text).toContain('1) pages 2–3, 2) page 6, 3) page 8; separators on 1, 4, 5, 7');
    expect(readFileSync(report.report.replace(/\.json$/, '.html'), 'utf8')).toContain('page 4: ACERVO:collection=Obras;box=12;title=Memorando da reforma');
  });

  it('shows clerks on the web which part of which batch a document is', async () => {
    const part = report.documents[0].split.parts[1];
    const server = await startServer({ library, folder: dir });
    try {
      const response = await fetch(`${server.url}/api/documents/${part.documentId}`, { headers: { Authorization: `Bearer ${server.token}` } });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ file: 'caixa-12.pdf', collection: 'Obras', box: '12', pages: 1, batch: { part: 2, parts: 3, firstPage: 6, lastPage: 6 } });
      if (!existsSync(CHROMIUM)) return console.warn(`${CHROMIUM} is missing: the viewer's batch line is not checked in a browser.`);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
      try {
        const context = await browser.newContext({ locale: 'pt-BR' });
        const cookie = await signIn(server.url, USERS.clerk);
        const [name, value] = cookie.split('=') as [string, string];
        await context.addCookies([{ name, value, url: server.url }]);
        const page = await context.newPage();
        await page.goto(`${server.url}/view/${part.documentId}`);
        await page.locator('#metadata').getByText('documento 2 de 3 do lote, páginas 6–6 do arquivo').waitFor({ timeout: 15_000 });
        expect(await page.locator('#metadata').innerText()).toContain('Lote');
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop();
    }
  });

  it('skips the unchanged batch, then makes it one document again when split no more', async () => {
    const again = parseJsonOutput(await runCli(['ingest', path.dirname(batch), '--library', library, '--split', 'barcode', '--json']));
    expect(again.documents[0]).toMatchObject({ status: 'skipped', pages: 4 });

    const whole = await runCli(['ingest', path.dirname(batch), '--library', library, '--json']);
    expect(whole.code, whole.stderr).toBe(0);
    const doc = parseJsonOutput(whole).documents[0];
    expect(doc).toMatchObject({ status: 'indexed', pages: 8 });
    expect(doc.split).toBeUndefined();
    expect(path.basename(doc.pdf)).toBe('caixa-12.pdf');
    expect(await pdfPages(doc.pdf)).toBe(8);
    // The parts are gone from the library, the catalog and the index.
    expect(readdirSync(path.join(library, 'documents'))).toEqual(['caixa-12.pdf']);
    const anchieta = await search(library, 'Anchieta');
    expect(anchieta.map((h) => [h.documentId, h.page])).toEqual([[doc.documentId, 6]]);
    const verify = await runCli(['verify', '--library', library, '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});

describe('acervo ingest --split barcode: a batch with no separator sheet', () => {
  it('stays one document at the usual path', async () => {
    const dir = path.join(work, 'none');
    mkdirSync(path.join(dir, 'scans'), { recursive: true });
    const file = path.join(dir, 'scans', 'lote.pdf');
    writeFileSync(file, await batchPdf([await alvara(), await blankPage(), await memorando()]));
    const run = await runCli(['ingest', file, '--library', path.join(dir, 'library'), '--split', 'barcode', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [doc] = parseJsonOutput(run).documents;
    expect(doc.split).toEqual({ mode: 'barcode', separators: [], parts: [expect.objectContaining({ part: 1, sourcePages: { first: 1, last: 3 }, pages: 3 })] });
    expect(path.basename(doc.pdf)).toBe('lote.pdf');
    expect(await pdfPages(doc.pdf)).toBe(3);
  }, 300_000);
});

describe('acervo ingest --split barcode: a file of nothing but a separator sheet', () => {
  it('is kept whole as one document rather than lost', async () => {
    const dir = path.join(work, 'only-sheet');
    mkdirSync(path.join(dir, 'scans'), { recursive: true });
    const file = path.join(dir, 'scans', 'so-folha.pdf');
    writeFileSync(file, await batchPdf([await scanOfPdf((await separatorSheetPdf(null)).pdf, { dpi: 200 })]));
    const run = await runCli(['ingest', file, '--library', path.join(dir, 'library'), '--split', 'barcode', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [doc] = parseJsonOutput(run).documents;
    expect(doc).toMatchObject({ status: 'indexed', pages: 1, split: { separators: [], parts: [expect.objectContaining({ part: 1, sourcePages: { first: 1, last: 1 }, pages: 1 })] } });
    expect(await pdfPages(doc.pdf)).toBe(1);
  }, 300_000);
});

describe('acervo ingest --split blank', () => {
  const dir = path.join(work, 'blank');
  const file = path.join(dir, 'scans', 'lote-brancas.tif');
  beforeAll(async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    // alvará (2 pages, a lone blank between them), two blanks, memorando, one blank, certidão
    await batchTiff([await alvara(), await blankPage(), await alvaraVerso(), await blankPage(), await blankPage(), await memorando(), await blankPage(), await certidao()], file);
  }, 120_000);

  it('with one blank page: every blank page separates', async () => {
    const run = await runCli(['ingest', file, '--library', path.join(dir, 'lib-1'), '--split', 'blank', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [doc] = parseJsonOutput(run).documents;
    expect(doc.split.separators.map((s: any) => [s.page, s.kind])).toEqual([[2, 'blank'], [4, 'blank'], [5, 'blank'], [7, 'blank']]);
    expect(doc.split.parts.map((p: any) => p.sourcePages)).toEqual([{ first: 1, last: 1 }, { first: 3, last: 3 }, { first: 6, last: 6 }, { first: 8, last: 8 }]);
  }, 300_000);

  it('with two blank pages: a lone blank page stays in its document', async () => {
    const library = path.join(dir, 'lib-2');
    const run = await runCli(['ingest', file, '--library', library, '--split', 'blank', '--blank-pages', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [doc] = parseJsonOutput(run).documents;
    expect(doc.split.separators.map((s: any) => s.page)).toEqual([4, 5]);
    expect(doc.split.parts.map((p: any) => [p.sourcePages, p.pages])).toEqual([[{ first: 1, last: 3 }, 3], [{ first: 6, last: 8 }, 3]]);
    expect(await Promise.all(doc.split.parts.map((p: any) => pdfPages(p.pdf)))).toEqual([3, 3]);
    expect((await search(library, 'Aparecida')).map((h) => [h.documentId, h.page])).toEqual([[doc.split.parts[1].documentId, 3]]);
  }, 300_000);
});

describe('acervo watch: an inbox configured to split', () => {
  it('cuts the batch files dropped in that inbox only', async () => {
    const dir = path.join(work, 'watch');
    const lotes = path.join(dir, 'lotes');
    const avulsos = path.join(dir, 'avulsos');
    mkdirSync(lotes, { recursive: true });
    mkdirSync(avulsos, { recursive: true });
    const pages = [await alvara(), await blankPage(), await memorando()];
    writeFileSync(path.join(lotes, 'lote.pdf'), await batchPdf(pages));
    writeFileSync(path.join(avulsos, 'avulso.pdf'), await batchPdf(pages));
    writeFileSync(
      path.join(dir, 'acervo.yaml'),
      JSON.stringify({ library: './library', ocr: { jobs: 2 }, watch: { stableSeconds: 0, statusIntervalSeconds: 0, inboxes: [{ path: 'lotes', split: { mode: 'blank' } }, 'avulsos'] } }),
    );
    const run = await runCli(['watch', '--once'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const indexed = run.stderr.split('\n').filter((line) => line.includes('"file.indexed"')).map((line) => JSON.parse(line));
    expect(indexed.find((e) => e.file === 'lote.pdf')?.split?.map((p: any) => p.sourcePages)).toEqual([{ first: 1, last: 1 }, { first: 3, last: 3 }]);
    expect(indexed.find((e) => e.file === 'avulso.pdf')?.split).toBeUndefined();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dir, 'library', 'catalog.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT relative_path, part_no, part_count, page_count, output_path FROM documents ORDER BY relative_path, part_no').all();
    db.close();
    expect(rows).toEqual([
      { relative_path: 'avulso.pdf', part_no: 1, part_count: 1, page_count: 3, output_path: 'documents/avulso.pdf' },
      { relative_path: 'lote.pdf', part_no: 1, part_count: 2, page_count: 1, output_path: 'documents/lote-01.pdf' },
      { relative_path: 'lote.pdf', part_no: 2, part_count: 2, page_count: 1, output_path: 'documents/lote-02.pdf' },
    ]);
    expect(readdirSync(path.join(lotes, 'processed'))).toEqual(['lote.pdf']);
  }, 300_000);
});
