import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OcrLine, PageRaster } from '../../core/model.js';
import { SearchablePdf } from '../../core/pdf/searchable-pdf.js';
import { HAS_PDFTOTEXT, pdftotext, pdftotextWords, readPdf } from '../helpers/pdf-text.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-pdf-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function whitePage(width: number, height: number, dpi: number): PageRaster {
  return { width, height, channels: 1, data: Buffer.alloc(width * height, 255), dpiX: dpi, dpiY: dpi, dpiAssumed: false };
}

function line(words: Array<[string, number, number, number, number]>): OcrLine {
  const boxes = words.map(([text, x0, y0, x1, y1]) => ({ text, box: { x0, y0, x1, y1 }, confidence: 90 }));
  return {
    box: { x0: Math.min(...boxes.map((w) => w.box.x0)), y0: Math.min(...boxes.map((w) => w.box.y0)), x1: Math.max(...boxes.map((w) => w.box.x1)), y1: Math.max(...boxes.map((w) => w.box.y1)) },
    words: boxes,
  };
}

const ACCENTED = ['Certidão', 'nº', '12/1987', '—', '“alvará”', 'ç', 'ã', 'õ', 'á', 'é', 'ñ', 'ü', 'ª', '–', 'señor', 'pingüino'];

async function writePdf(name: string, raster: PageRaster, lines: OcrLine[]): Promise<string> {
  const pdf = await SearchablePdf.create(path.join(folder, 'tmp'));
  await pdf.addImagePage({ kind: 'raster', raster }, raster.dpiX, raster.dpiY, lines);
  const file = path.join(folder, name);
  await pdf.finish({
    title: 'Título “teste”',
    sourceFile: 'Obras/1987/x.tif',
    sourceSha256: 'ab'.repeat(32),
    pageCount: 1,
    ocrLanguages: ['por', 'spa'],
    creatorTool: 'Acervo test',
    producer: 'Acervo test',
    createdAt: new Date('2026-01-02T03:04:05Z'),
    keywords: ['Obras', '1987'],
  }, file);
  return file;
}

describe('searchable PDF', () => {
  it('keeps accented Portuguese and Spanish text, quotes, ordinals and dashes exactly', async () => {
    let x = 50;
    const words = ACCENTED.map((text): [string, number, number, number, number] => {
      const word: [string, number, number, number, number] = [text, x, 100, x + 30 * [...text].length, 140];
      x += 30 * [...text].length + 25;
      return word;
    });
    const file = await writePdf('accents.pdf', whitePage(x + 50, 300, 300), [line(words)]);
    const viaPdfjs = (await readPdf(file)).pages[0]!.text;
    expect(viaPdfjs.replace(/\s+/g, ' ').trim()).toBe(ACCENTED.join(' '));
    if (HAS_PDFTOTEXT) expect(pdftotext(file).replace(/\s+/g, ' ').trim()).toBe(ACCENTED.join(' '));
  });

  it('gives the page the physical size of the image and its metadata to info and XMP', async () => {
    const file = await writePdf('size.pdf', whitePage(2480, 3508, 300), []);
    const pdf = await readPdf(file);
    expect(pdf.pages[0]!.width).toBeCloseTo(595.2, 1);
    expect(pdf.pages[0]!.height).toBeCloseTo(841.92, 1);
    expect(pdf.info.Title).toBe('Título “teste”');
    expect(pdf.info.Keywords).toBe('Obras, 1987');
    expect(pdf.metadata).toContain('<acervo:sourceSha256>' + 'ab'.repeat(32));
    expect(pdf.metadata).toContain('<acervo:pageCount>1</acervo:pageCount>');
    expect(pdf.metadata).toContain('<acervo:ocrLanguages>por+spa</acervo:ocrLanguages>');
    expect(pdf.metadata).toContain('<dc:source>Obras/1987/x.tif</dc:source>');
  });

  it.skipIf(!HAS_PDFTOTEXT)('places every word on its box and keeps reading order (pdftotext -bbox)', async () => {
    const dpi = 200;
    const lines = [
      line([['Primeira', 100, 100, 400, 150], ['linha', 440, 100, 620, 150]]),
      line([['Segunda', 100, 300, 380, 360], ['linha', 420, 300, 600, 360], ['aqui', 650, 300, 800, 360]]),
    ];
    const file = await writePdf('boxes.pdf', whitePage(1000, 600, dpi), lines);
    expect(pdftotext(file).replace(/\s+/g, ' ').trim()).toBe('Primeira linha Segunda linha aqui');
    const words = pdftotextWords(file);
    const expected = lines.flatMap((l) => l.words);
    expect(words.map((w) => w.text)).toEqual(expected.map((w) => w.text));
    const pt = (px: number) => (px * 72) / dpi;
    words.forEach((word, i) => {
      const box = expected[i]!.box;
      expect(word.xMin).toBeCloseTo(pt(box.x0), 0);
      expect(word.xMax).toBeCloseTo(pt(box.x1), 0);
      expect(word.yMax).toBeCloseTo(pt(lines[i < 2 ? 0 : 1]!.box.y1), 0);
      expect(word.yMin).toBeGreaterThanOrEqual(pt(lines[i < 2 ? 0 : 1]!.box.y0) - 1);
    });
  });

  it('streams a long document to disk: every page in order, the hash and size it reports, nothing left in the temporary folder', async () => {
    const tmp = path.join(folder, 'long-tmp');
    const pdf = await SearchablePdf.create(tmp);
    const pages = 40;
    for (let n = 1; n <= pages; n++) {
      await pdf.addImagePage({ kind: 'raster', raster: whitePage(850, 1100, 100) }, 100, 100, [line([[`Página`, 100, 100, 300, 140], [`${n}`, 320, 100, 400, 140]])]);
    }
    const file = path.join(folder, 'long.pdf');
    const written = await pdf.finish({ title: 'Longo', sourceFile: 'x.tif', sourceSha256: 'cd'.repeat(32), pageCount: pages, ocrLanguages: ['por'], creatorTool: 't', producer: 't', createdAt: new Date(), keywords: [] }, file);
    const bytes = readFileSync(file);
    expect(written).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), conformance: 'PDF/A-2B', notConformingBecause: null });
    expect(readdirSync(tmp)).toEqual([]);
    const read = await readPdf(file);
    expect(read.pages.map((p) => p.text.trim())).toEqual(Array.from({ length: pages }, (_, i) => `Página ${i + 1}`));
    expect(read.pages[0]!.width).toBeCloseTo(612, 0);
    const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    if (qpdf.error) console.warn('qpdf is not installed: the PDF structure check is skipped.');
    else expect(qpdf.stdout).toContain('No syntax or stream encoding errors');
  });

  it('leaves nothing behind when a document is abandoned', async () => {
    const tmp = path.join(folder, 'discard-tmp');
    const pdf = await SearchablePdf.create(tmp);
    await pdf.addImagePage({ kind: 'raster', raster: whitePage(100, 100, 100) }, 100, 100, []);
    expect(readdirSync(tmp)).toHaveLength(1);
    await pdf.discard();
    expect(readdirSync(tmp)).toEqual([]);
  });
});
