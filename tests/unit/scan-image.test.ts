/**
 * Pages as Acervo writes scans, redacted in their own pixels: each kind of page image (G4, JPEG,
 * lossless grey and colour) comes back as the same kind, the same size, black under the box and
 * unchanged elsewhere (exactly, where the kind is lossless); a page with anything more than the
 * scan and its invisible text is drawn by pdf.js instead.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { OcrLine, PageRaster } from '../../core/model.js';
import type { PageImage } from '../../core/pdf/page-image.js';
import { SearchablePdf } from '../../core/pdf/searchable-pdf.js';
import { redactedPdf } from '../../core/redaction/redacted-pdf.js';
import { scanImageOf } from '../../core/redaction/scan-image.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-scan-image-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const WIDTH = 600;
const HEIGHT = 400;
/** On whole 8×8 blocks, as a JPEG copy paints it. */
const BOX = { x0: 144 / 600, y0: 96 / 400, x1: 304 / 600, y1: 200 / 400 };
const FACTS = { title: 't', documentId: 1, madeBy: 'test', madeAt: new Date('2026-12-05T10:00:00Z'), producer: 'test' };
const LINES: OcrLine[] = [{ box: { x0: 150, y0: 100, x1: 300, y1: 130 }, words: [{ text: 'Segredo', box: { x0: 150, y0: 100, x1: 300, y1: 130 }, confidence: 90 }] }];

/** A page with structure everywhere (no two neighbours alike), so a moved or resampled pixel shows. */
function pattern(channels: 1 | 3, bilevel: boolean): PageRaster {
  const data = Buffer.alloc(WIDTH * HEIGHT * channels);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      for (let c = 0; c < channels; c++) {
        const value = (x * 7 + y * 13 + c * 50) % 256;
        data[(y * WIDTH + x) * channels + c] = bilevel ? ((x >> 2) + (y >> 2)) % 2 === 0 ? 0 : 255 : Math.max(40, value);
      }
    }
  }
  return { width: WIDTH, height: HEIGHT, channels, data, dpiX: 150, dpiY: 150, dpiAssumed: false };
}

async function scanPdf(image: PageImage): Promise<Uint8Array> {
  const pdf = await SearchablePdf.create(folder, 'pdfa-2b');
  await pdf.addImagePage(image, 150, 150, LINES);
  const target = path.join(folder, `scan-${Math.random().toString(36).slice(2)}.pdf`);
  await pdf.finish({ title: 't', sourceFile: 's', sourceSha256: '0'.repeat(64), pageCount: 1, ocrLanguages: ['por'], creatorTool: 't', producer: 't', createdAt: new Date(), keywords: [] }, target);
  return readFileSync(target);
}

async function onlyImage(pdf: Uint8Array): Promise<{ filter: string; raster: PageRaster }> {
  const doc = await PDFDocument.load(pdf);
  const page = doc.getPage(0).node;
  const scan = await scanImageOf(doc.context, page);
  const images = doc.context.enumerateIndirectObjects().filter(([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
  expect(images).toHaveLength(1);
  expect(scan).not.toBeNull();
  return { filter: String((images[0]![1] as PDFRawStream).dict.get(PDFName.of('Filter'))), raster: scan!.raster };
}

function insideBox(x: number, y: number): boolean {
  return x >= BOX.x0 * WIDTH && x < BOX.x1 * WIDTH && y >= BOX.y0 * HEIGHT && y < BOX.y1 * HEIGHT;
}

/** The largest difference outside the box, and the brightest value inside it. */
function compare(before: PageRaster, after: PageRaster): { outside: number; inside: number } {
  let outside = 0;
  let inside = 0;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      for (let c = 0; c < before.channels; c++) {
        const i = (y * WIDTH + x) * before.channels + c;
        if (insideBox(x, y)) inside = Math.max(inside, after.data[i]!);
        else outside = Math.max(outside, Math.abs(after.data[i]! - before.data[i]!));
      }
    }
  }
  return { outside, inside };
}

describe('a scan as Acervo writes it, redacted in its own pixels', () => {
  const cases: Array<[string, () => Promise<PageImage>, string, number]> = [
    ['G4', async () => ({ kind: 'raster', raster: pattern(1, true) }), '/CCITTFaxDecode', 0],
    ['lossless grey', async () => ({ kind: 'raster', raster: pattern(1, false) }), '/FlateDecode', 0],
    ['lossless colour', async () => ({ kind: 'raster', raster: pattern(3, false) }), '/FlateDecode', 0],
    [
      'JPEG',
      async () => {
        const raster = pattern(3, false);
        const bytes = await sharp(raster.data, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
        return { kind: 'jpeg', bytes, width: WIDTH, height: HEIGHT, channels: 3 };
      },
    '/DCTDecode', 40],
  ];

  it.each(cases)('%s stays the same kind and size, black under the box, unchanged elsewhere', async (_name, make, filter, tolerance) => {
    const original = await scanPdf(await make());
    const before = await onlyImage(original);
    expect(before.filter).toBe(filter);
    const copy = await redactedPdf(original, new Map([[1, [BOX]]]), FACTS);
    expect(copy).toMatchObject({ burnedPages: 1, renderedPages: 0 });
    const after = await onlyImage(copy.pdf);
    expect(after.filter).toBe(filter);
    expect([after.raster.width, after.raster.height, after.raster.channels]).toEqual([WIDTH, HEIGHT, before.raster.channels]);
    const { outside, inside } = compare(before.raster, after.raster);
    expect(inside).toBeLessThanOrEqual(tolerance === 0 ? 0 : 8);
    expect(outside).toBeLessThanOrEqual(tolerance);
  });

  it('draws a page holding anything more than the scan and its invisible text (here a visible line of text)', async () => {
    const original = await scanPdf({ kind: 'raster', raster: pattern(1, false) });
    const doc = await PDFDocument.load(original);
    const page = doc.getPage(0);
    const extra = doc.context.register(doc.context.flateStream('BT /F1 12 Tf 10 10 Td (visible) Tj ET'));
    const contents = page.node.get(PDFName.of('Contents')) as PDFRef;
    page.node.set(PDFName.of('Contents'), doc.context.obj([contents, extra]));
    expect(await scanImageOf(doc.context, page.node)).toBeNull();
    const copy = await redactedPdf(await doc.save(), new Map([[1, [BOX]]]), FACTS);
    expect(copy).toMatchObject({ burnedPages: 1, renderedPages: 1 });
  });
});
