/**
 * The PDF decoder reading a file by byte ranges and page by page (the path of files above the
 * whole-load size), against reading it whole: the same pages, pixels and copies; pdf.js reopened
 * every window of pages; and damaged, encrypted and truncated files handled as in the whole path
 * (pages not copied but still read, or coded errors).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import path from 'node:path';
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { convertOptions } from '../../cli/runtime.js';
import { loadConfig } from '../../config/load.js';
import type { ConvertOptions } from '../../core/model.js';
import { openPdf, pdfReading, type PdfReading } from '../../core/pipeline/decode/pdf-decoder.js';
import type { DecodedPage } from '../../core/pipeline/decode/decoded-document.js';
import { SearchablePdf } from '../../core/pdf/searchable-pdf.js';
import { HAS_REAL_SCANS, REAL_SCANS_DIR } from '../helpers/paths.js';
import { incrementalUpdate, makePdf } from './pdf-fixtures.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-ranges-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const options: ConvertOptions = convertOptions(loadConfig({ env: {}, cwd: folder }));

/** Scanned pages (one grey image covering each), and every fourth page a born-digital one with real text. */
async function scannedPdf(pages: number, objectStreams: boolean): Promise<string> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([144, 216]);
    if (i % 4 === 3) {
      page.drawText('Certidão de nascimento expedida em 12 de março de 1987', { x: 4, y: 100, size: 5, font });
      continue;
    }
    const width = 100 + i;
    const height = 150;
    // Noise, which does not compress: the file is many of pdf.js's range chunks long.
    const pixels = Buffer.alloc(width * height);
    let seed = i + 1;
    for (let p = 0; p < pixels.length; p++) pixels[p] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const image = doc.context.register(
      doc.context.flateStream(pixels, { Type: 'XObject', Subtype: 'Image', Width: width, Height: height, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }),
    );
    const name = page.node.newXObject('Scan', image);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(144, 0, 0, 216, 0, 0), drawObject(name), popGraphicsState());
  }
  const file = path.join(folder, `scanned-${pages}-${objectStreams}.pdf`);
  writeFileSync(file, await doc.save({ useObjectStreams: objectStreams }));
  return file;
}

const WHOLE: PdfReading = { ...pdfReading(), wholeLoadBytes: Number.MAX_SAFE_INTEGER };
const rangesEvery = (reopenPages: number, onOpen?: () => void): PdfReading => ({ ...pdfReading(), wholeLoadBytes: 0, reopenPages, rangeChunkSize: 1024, onOpen });

async function decodeAll(file: string, reading: PdfReading): Promise<{ pages: DecodedPage[]; copies: Buffer | null }> {
  const document = await openPdf(file, options, reading);
  const pages: DecodedPage[] = [];
  const output = await SearchablePdf.create(path.join(folder, 'tmp'), 'pdf');
  try {
    for await (const page of document.pages()) {
      pages.push(page);
      if (page.visual.kind === 'source-page') await output.addCopiedPage(page.visual.page, [], page.rasterToPage);
      else await output.addImagePage(page.visual.image, page.visual.dpiX, page.visual.dpiY, []);
    }
    const target = path.join(folder, `out-${path.basename(file)}-${reading.wholeLoadBytes}.pdf`);
    await output.finish(
      { title: 't', sourceFile: 'x.pdf', sourceSha256: '00'.repeat(32), pageCount: pages.length, ocrLanguages: ['por'], creatorTool: 't', producer: 't', createdAt: new Date(0), keywords: [] },
      target,
    );
    // The file's ID is random: compare what comes before the trailer.
    const bytes = readFileSync(target);
    return { pages, copies: bytes.subarray(0, bytes.lastIndexOf(Buffer.from('trailer'))) };
  } finally {
    await document.close();
  }
}

const summary = (page: DecodedPage) => ({
  pageNo: page.pageNo,
  widthPt: page.widthPt,
  heightPt: page.heightPt,
  visual: page.visual.kind,
  raster: page.raster && { width: page.raster.width, height: page.raster.height, channels: page.raster.channels, dpiX: page.raster.dpiX },
  rasterToPage: page.rasterToPage,
  existingText: page.existingText,
});

describe('PDF decoder by byte ranges', () => {
  it('gives the same pages, pixels and copied pages as reading the file whole, reopening pdf.js every window of pages', async () => {
    for (const objectStreams of [false, true]) {
      const file = await scannedPdf(10, objectStreams);
      const whole = await decodeAll(file, WHOLE);
      let opens = 0;
      const ranges = await decodeAll(file, rangesEvery(3, () => opens++));
      expect(opens).toBe(4); // pages 1-3, 4-6, 7-9, 10
      expect(ranges.pages.map(summary)).toEqual(whole.pages.map(summary));
      for (let i = 0; i < whole.pages.length; i++) expect(ranges.pages[i]!.raster?.data.equals(whole.pages[i]!.raster!.data)).toBe(whole.pages[i]!.raster ? true : undefined);
      expect(ranges.pages.every((p) => p.visual.kind === 'source-page')).toBe(true);
      expect(ranges.pages.filter((p) => p.existingText !== null)).toHaveLength(2);
      expect(ranges.copies!.equals(whole.copies!)).toBe(true);
    }
  });

  it('keeps nothing of the pages it has handed on while the document is open', async () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const file = await scannedPdf(12, true);
    const document = await openPdf(file, options, rangesEvery(32));
    const rasters: Array<WeakRef<object>> = [];
    try {
      for await (const page of document.pages()) if (page.raster) rasters.push(new WeakRef(page.raster.data));
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
      // The last page's may still be referenced by the generator; none of the others.
      expect(rasters.slice(0, -1).filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    } finally {
      await document.close();
    }
  });

  it('reads a file whose cross-reference is damaged (pdf.js rebuilds it), using its pixels instead of copies', async () => {
    const good = readFileSync(await scannedPdf(5, false));
    const text = good.toString('latin1');
    const damaged = Buffer.concat([good.subarray(0, text.lastIndexOf('startxref')), Buffer.from('startxref\n99\n%%EOF\n', 'latin1')]);
    const file = path.join(folder, 'damaged.pdf');
    writeFileSync(file, damaged);
    const ranges = await decodeAll(file, rangesEvery(32));
    expect(ranges.pages).toHaveLength(5);
    // Scanned pages are read from their pixels; the text page, not copyable, is read by OCR.
    expect(ranges.pages.map((p) => p.visual.kind)).toEqual(['image', 'image', 'image', 'image', 'image']);
    expect(ranges.pages.every((p) => p.raster !== null && p.existingText === null)).toBe(true);
    // Read whole, pdf-lib (which ignores the cross-reference) still copies them.
    expect((await decodeAll(file, WHOLE)).pages.map((p) => p.visual.kind)).toEqual(Array(5).fill('source-page'));
  });

  it('refuses encrypted and truncated files with the same codes as when read whole', async () => {
    const encrypted = path.resolve('tests/fixtures/password-protected.pdf');
    await expect(openPdf(encrypted, options, rangesEvery(32))).rejects.toMatchObject({ code: 'PDF_ENCRYPTED' });
    const truncated = path.join(folder, 'truncated.pdf');
    writeFileSync(truncated, '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    // A header and nothing after it: a file cut short (no end-of-file marker), either way.
    await expect(openPdf(truncated, options, rangesEvery(32))).rejects.toMatchObject({ code: 'INPUT_TRUNCATED' });
    await expect(openPdf(truncated, options, WHOLE)).rejects.toMatchObject({ code: 'INPUT_TRUNCATED' });
  });

  it('reads a PDF of over 2 GiB (more than readFile can return) by default, page by page, in little memory (a sparse file)', async () => {
    const base = await makePdf(3, { objectStreams: false });
    const at = 2 ** 31 + 4096;
    const tail = await incrementalUpdate(base, 0, '(beyond 2 GiB) Tj', 'table', at);
    const file = path.join(folder, 'over-2-gib.pdf');
    const fd = openSync(file, 'w');
    writeSync(fd, base, 0, base.length, 0);
    writeSync(fd, tail, 0, tail.length, at);
    closeSync(fd);
    const rssBefore = process.memoryUsage().rss;
    try {
      const document = await openPdf(file, options);
      try {
        const pages: DecodedPage[] = [];
        for await (const page of document.pages()) pages.push(page);
        expect(pages.map((p) => p.visual.kind)).toEqual(['source-page', 'source-page', 'source-page']);
        const { node } = await document.sourcePdf!.page(0);
        const contents = node.Contents();
        expect(Buffer.from((contents as unknown as { getContents(): Uint8Array }).getContents()).toString('latin1')).toContain('(beyond 2 GiB) Tj');
      } finally {
        await document.close();
      }
      expect((process.memoryUsage().rss - rssBefore) / 1e6).toBeLessThan(200);
    } finally {
      rmSync(file);
    }
  });

  it('refuses a PDF over 4 GiB with a coded error (a sparse file)', async () => {
    const file = path.join(folder, 'over-4-gib.pdf');
    writeFileSync(file, '%PDF-1.7\n');
    truncateSync(file, 2 ** 32 + 1);
    try {
      await expect(openPdf(file, options)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    } finally {
      rmSync(file);
    }
  });

  it.skipIf(!HAS_REAL_SCANS)('refuses a decompression bomb from its dimensions, read page by page', async () => {
    const document = await openPdf(path.join(REAL_SCANS_DIR, 'hugemono.pdf'), options, rangesEvery(32));
    try {
      expect(document.sourcePdf).not.toBeNull();
      await expect(document.pages().next()).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    } finally {
      await document.close();
    }
  });
});
