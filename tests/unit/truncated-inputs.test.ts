/**
 * Files cut short (issue 27, point 1): a batch TIFF, a JPEG and a PDF copied before the scanner
 * finished them. The pages that can be read are kept and made searchable, the document is marked
 * incomplete with INPUT_TRUNCATED naming what is missing, `retry --failed` finds it, and a whole
 * copy converts cleanly. The real pipeline with the scripted OCR engine, on generated files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { prepareLibrary } from '../../core/library.js';
import type { MediaType } from '../../core/model.js';
import { tiffExtent } from '../../core/pipeline/decode/tiff-structure.js';
import { ingestFile } from '../../core/pipeline/ingest-file.js';
import { convert, jobFor, scriptedIngest, scriptedPages } from './pipeline-fixtures.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-truncated-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;

/** Pages of typed-looking bars, each a different grey so that none is blank. */
async function pagePng(n: number): Promise<Buffer> {
  const bars = Array.from({ length: 8 }, (_, i) => ({ input: { create: { width: 300, height: 8, channels: 3 as const, background: '#202020' } }, left: 60, top: 80 + i * 50 }));
  return sharp({ create: { width: 420, height: 600, channels: 3, background: n % 2 ? '#ffffff' : '#f4f4f4' } }).composite(bars).png().toBuffer();
}

async function multiPageTiff(pages: number): Promise<Buffer> {
  const pngs = await Promise.all(Array.from({ length: pages }, (_, i) => pagePng(i + 1)));
  return sharp(pngs, { join: { animated: true } }).toColourspace('b-w').tiff({ compression: 'lzw', xres: 100 / 25.4, yres: 100 / 25.4 }).toBuffer();
}

function place(bytes: Uint8Array, name: string): { file: string; folder: string } {
  const folder = path.join(work, `f${++files}`);
  mkdirSync(path.join(folder, 'tmp'), { recursive: true });
  const file = path.join(folder, name);
  writeFileSync(file, bytes);
  return { file, folder };
}

function jobOf(batch: { file: string; folder: string }, mediaType: MediaType) {
  return { ...jobFor(batch), mediaType };
}

describe('tiffExtent', () => {
  it('finds every page of a whole TIFF, and where a cut one stops', async () => {
    const whole = await multiPageTiff(11);
    const full = place(whole, 'whole.tif');
    expect(await tiffExtent(full.file)).toMatchObject({ intactPages: 11, directories: 11, damage: null });
    const cut = place(whole.subarray(0, Math.floor(whole.length * 0.7)), 'cut.tif');
    const extent = (await tiffExtent(cut.file))!;
    expect(extent.intactPages).toBeGreaterThan(0);
    expect(extent.intactPages).toBeLessThan(11);
    expect(extent.damage).toMatch(/past the end of the file/);
  });
});

describe('convertDocument on a file cut short', () => {
  it('keeps and reads the TIFF pages that are whole, and says the file is cut short', async () => {
    const whole = await multiPageTiff(11);
    const extentOfCut = async (bytes: Buffer) => (await tiffExtent(place(bytes, 'probe.tif').file))!;
    const cutBytes = whole.subarray(0, Math.floor(whole.length * 0.7));
    const { intactPages } = await extentOfCut(cutBytes);
    const job = jobOf(place(cutBytes, 'batch.tif'), 'image/tiff');
    const engine = scriptedPages({});
    const result = await convert(engine, job);
    expect(result.incomplete?.code).toBe('INPUT_TRUNCATED');
    expect(result.incomplete?.message).toMatch(/TIFF is cut short.*past the end of the file \(\d+ bytes\).*page\(s\) read/);
    expect(result.documents[0]!.pages).toHaveLength(intactPages);
    expect(engine.recognized).toHaveLength(intactPages);
    // The same file whole: nothing said.
    const clean = await convert(scriptedPages({}), jobOf(place(whole, 'batch.tif'), 'image/tiff'));
    expect(clean.incomplete).toBeUndefined();
    expect(clean.documents[0]!.pages).toHaveLength(11);
  });

  it('reads the top of a JPEG without its end marker, and marks it incomplete', async () => {
    const jpeg = await sharp(await pagePng(1)).jpeg({ quality: 90 }).toBuffer();
    expect(jpeg.subarray(-2).toString('hex')).toBe('ffd9');
    const job = jobOf(place(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 'page.jpg'), 'image/jpeg');
    const result = await convert(scriptedPages({ 1: 'Ofício nº 12/1987' }), job);
    expect(result.incomplete).toMatchObject({ code: 'INPUT_TRUNCATED' });
    expect(result.incomplete!.message).toMatch(/ends at byte \d+ before its end marker/);
    expect(result.documents[0]!.pages).toHaveLength(1);
    const whole = await convert(scriptedPages({}), jobOf(place(jpeg, 'page.jpg'), 'image/jpeg'));
    expect(whole.incomplete).toBeUndefined();
  });

  it('says where a PDF cut short ends: pages kept when its objects are there, INPUT_TRUNCATED when none can be read', async () => {
    const doc = await PDFDocument.create();
    for (let n = 1; n <= 3; n++) {
      const image = await doc.embedPng(await pagePng(n));
      doc.addPage([302, 432]).drawImage(image, { x: 0, y: 0, width: 302, height: 432 });
    }
    const bytes = await doc.save({ useObjectStreams: false });
    const cutAt = async (end: number) => convert(scriptedPages({}), jobOf(place(bytes.subarray(0, end), 'batch.pdf'), 'application/pdf'));
    // Cut inside the cross-reference table: every object is there, the end is not.
    const noEnd = await cutAt(Buffer.from(bytes).lastIndexOf('\nxref') + 30);
    expect(noEnd.incomplete?.message).toMatch(/PDF is cut short: it ends at byte \d+ without the end-of-file marker.*3 of the 3 page\(s\) it lists could be read/);
    expect(noEnd.documents[0]!.pages).toHaveLength(3);
    // Cut inside the last page's objects: two pages kept.
    const third = await cutAt(Buffer.from(bytes).lastIndexOf('obj', Buffer.from(bytes).lastIndexOf('/Type /Page\n') - 20) - 4);
    expect(third.incomplete?.message).toMatch(/2 of the 3 page\(s\) it lists could be read/);
    expect(third.documents[0]!.pages).toHaveLength(2);
    // Cut before anything of a page: nothing to keep.
    await expect(cutAt(400)).rejects.toMatchObject({ code: 'INPUT_TRUNCATED', message: expect.stringMatching(/cut short.*no page could be read/) });
  });
});

describe('ingestFile of a file cut short', () => {
  it('records the readable pages, lists the document for retry --failed, and clears it once the file is whole', async () => {
    const folder = path.join(work, 'library-run');
    mkdirSync(folder, { recursive: true });
    const library = await prepareLibrary(path.join(folder, 'library'));
    const catalog = Catalog.open(library.catalogFile);
    try {
      const whole = await multiPageTiff(6);
      const source = path.join(folder, 'caixa-12.tif');
      writeFileSync(source, whole.subarray(0, Math.floor(whole.length * 0.6)));
      const job = jobFor({ file: source, folder });
      const deps = scriptedIngest(library, catalog, job.options);
      const target = { readPath: source, sourcePath: source, relativePath: 'caixa-12.tif' };
      const first = await ingestFile(target, deps);
      expect(first).toMatchObject({ status: 'indexed', incomplete: true, error: { code: 'INPUT_TRUNCATED' } });
      expect(first.pages).toBeGreaterThan(0);
      expect(first.pages).toBeLessThan(6);
      expect(catalog.failedDocuments().map((d) => [d.sourcePath, d.errorCode])).toEqual([[source, 'INPUT_TRUNCATED']]);
      expect(catalog.totals()).toMatchObject({ done: 1, incomplete: 1, failed: 0 });
      // Run again on the same cut file: unchanged, and still said to be incomplete.
      expect(await ingestFile(target, deps)).toMatchObject({ status: 'skipped', incomplete: true, error: { code: 'INPUT_TRUNCATED' } });
      // A hot folder does not take it while it may still be arriving.
      const inbox = path.join(folder, 'caixa-13.tif');
      writeFileSync(inbox, whole.subarray(0, Math.floor(whole.length * 0.6)));
      const watcher = await ingestFile({ readPath: inbox, sourcePath: inbox, relativePath: 'caixa-13.tif' }, deps, { refuseIncomplete: true, recordFailure: false });
      expect(watcher).toMatchObject({ status: 'failed', error: { code: 'INPUT_TRUNCATED' } });
      // The whole file copied over it: converted, nothing left to retry.
      writeFileSync(source, whole);
      const again = await ingestFile(target, deps);
      expect(again).toMatchObject({ status: 'indexed', error: null, pages: 6 });
      expect(again.incomplete).toBeUndefined();
      expect(catalog.failedDocuments()).toEqual([]);
      expect(catalog.totals()).toMatchObject({ done: 1, incomplete: 0 });
      expect(readFileSync(again.pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      catalog.close();
    }
  });
});
