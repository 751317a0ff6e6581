/**
 * Compact page images: G4 TIFF pages pass into the PDF byte for byte, other bilevel pages become
 * G4 that decodes to exactly their pixels, and grey pages go lossy only when that halves them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import UTIF from 'utif2';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { convertOptions } from '../../cli/runtime.js';
import type { PageRaster } from '../../core/model.js';
import { encodeG4, g4PageOf, tiffPages } from '../../core/pdf/g4.js';
import { encodePageImage } from '../../core/pdf/page-image.js';
import { SearchablePdf } from '../../core/pdf/searchable-pdf.js';
import { openImage } from '../../core/pipeline/decode/image-decoder.js';
import { makePage } from '../helpers/make-page.js';
import { SAMPLES_DIR } from '../helpers/paths.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-g4-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const DECRETO = path.join(SAMPLES_DIR, 'Gabinete', '1990', 'decreto-345.tif');
const A4 = { width: 2480, height: 3508 };

/** A bilevel A4 page of typed text (45 lines), as an office scanner makes it: made once, each test given its own copy. */
let bilevelPixels: Promise<Buffer> | undefined;
async function bilevelPage(): Promise<PageRaster> {
  bilevelPixels ??= (async () => {
    const words = ['PREFEITURA', 'MUNICIPAL', 'processo', 'nº', '1234/1987', 'requerimento', 'de', 'alvará', 'para', 'construção'];
    const { png } = await makePage(Array.from({ length: 45 }, (_, i) => words.slice(i % 3)), { ...A4, dpi: 300, size: 40, left: 250, top: 250, lineGap: 70 });
    return sharp(png).greyscale().threshold(128).raw().toBuffer();
  })();
  return { ...A4, channels: 1, data: Buffer.from(await bilevelPixels), dpiX: 300, dpiY: 300, dpiAssumed: false };
}

/** A G4 stream decoded to RGBA by utif2, wrapped in the smallest TIFF that describes it. */
function decodeG4(image: { data: Buffer; width: number; height: number; blackIs1: boolean }): Uint8Array {
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, 4, image.width], [257, 4, image.height], [258, 3, 1], [259, 3, 4], [262, 3, image.blackIs1 ? 1 : 0],
    [273, 4, 0], [277, 3, 1], [278, 4, image.height], [279, 4, image.data.length],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const tiff = Buffer.alloc(8 + ifdSize + image.data.length);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    tiff.writeUInt16LE(tag, at);
    tiff.writeUInt16LE(type, at + 2);
    tiff.writeUInt32LE(1, at + 4);
    const v = tag === 273 ? 8 + ifdSize : value;
    if (type === 3) tiff.writeUInt16LE(v, at + 8);
    else tiff.writeUInt32LE(v, at + 8);
  });
  image.data.copy(tiff, 8 + ifdSize);
  const [ifd] = UTIF.decode(tiff);
  UTIF.decodeImage(tiff, ifd!);
  return UTIF.toRGBA8(ifd!);
}

/** The first page of `file` (a TIFF) through decode and compose, as its PDF stores the image. */
async function convertedPageImage(file: string): Promise<{ filter: string; data: Buffer }> {
  const document = await openImage(file, 'image/tiff', convertOptions(loadConfig({ env: {}, cwd: work })));
  const first = (await document.pages().next()).value!;
  const pdf = await SearchablePdf.create(path.join(work, 'tmp'));
  if (first.visual.kind !== 'image') throw new Error('not an image page');
  await pdf.addImagePage(first.visual.image, 300, 300, []);
  const out = path.join(work, `${path.basename(file)}.pdf`);
  await pdf.finish({ title: 't', sourceFile: 'x.tif', sourceSha256: 'x', pageCount: 1, ocrLanguages: ['por'], creatorTool: 'test', producer: 'test', createdAt: new Date(), keywords: [] }, out);
  return pageImage(out);
}

/** The first page's image XObject of a PDF file: its filter and bytes. */
async function pageImage(file: string): Promise<{ filter: string; data: Buffer }> {
  const doc = await PDFDocument.load(readFileSync(file));
  const xobjects = doc.getPage(0).node.Resources()!.lookup(PDFName.of('XObject')) as import('pdf-lib').PDFDict;
  const image = xobjects.lookup(PDFName.of('Scan')) as PDFRawStream;
  return { filter: String(image.dict.get(PDFName.of('Filter'))), data: Buffer.from(image.contents) };
}

describe('G4', () => {
  it('passes a single-strip G4 TIFF page (as scanners write them) into the PDF byte for byte', async () => {
    const file = path.join(work, 'scanner.tif');
    const raster = await bilevelPage();
    await sharp(raster.data, { raw: { width: A4.width, height: A4.height, channels: 1 } }).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1, tileHeight: A4.height, tileWidth: 16, xres: 300 / 25.4, yres: 300 / 25.4 }).toFile(file);
    const strip = g4PageOf(readFileSync(file), tiffPages(readFileSync(file))[0])!;
    expect(strip).not.toBeNull();
    const stored = await convertedPageImage(file);
    expect(stored.filter).toBe('/CCITTFaxDecode');
    expect(stored.data.equals(strip.data)).toBe(true);
  });

  it('re-encodes a G4 TIFF of many strips per page (libvips, some scanners) as one G4 strip, not Flate', async () => {
    const stored = await convertedPageImage(DECRETO);
    expect(stored.filter).toBe('/CCITTFaxDecode');
    // About the size of the page's own strips together (25.6 kB), nowhere near the 1-bit Flate size.
    expect(stored.data.length).toBeLessThan(40_000);
  });

  it('encodes a bilevel page as G4 of tens of kilobytes that decodes to exactly its pixels', async () => {
    const raster = await bilevelPage();
    const xobject = await encodePageImage({ kind: 'raster', raster });
    expect(xobject).toMatchObject({ filter: 'CCITTFaxDecode', bitsPerComponent: 1, colorSpace: 'DeviceGray' });
    expect(xobject.data.length).toBeLessThan(100_000);
    expect((await encodeG4(raster))!.data.length).toBe(xobject.data.length);
    // Decoded by another G4 decoder (utif2's), the stored stream gives back every pixel.
    const decoded = decodeG4({ data: Buffer.from(xobject.data), width: A4.width, height: A4.height, blackIs1: (xobject.decodeParms as { BlackIs1: boolean }).BlackIs1 });
    let differing = 0;
    let ink = 0;
    for (let i = 0; i < raster.data.length; i++) {
      if (decoded[i * 4]! < 128 !== raster.data[i]! < 128) differing++;
      if (raster.data[i] === 0) ink++;
    }
    expect(ink).toBeGreaterThan(100_000);
    expect(differing).toBe(0);
  });
});

describe('grey and colour pages', () => {
  /** Stained paper: a blotchy tone and fine grain everywhere, which lossless compression cannot shrink. */
  function stainedPage(): PageRaster {
    const width = 1240;
    const height = 1754;
    const data = Buffer.alloc(width * height);
    let seed = 7;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const stain = 30 * Math.sin(x / 97) * Math.cos(y / 131);
        const ink = x > 200 && x < 1000 && y % 40 < 12 ? 150 : 0;
        data[y * width + x] = Math.max(0, Math.min(255, 215 + stain + (seed % 9) - 4 - ink));
      }
    }
    return { width, height, channels: 1, data, dpiX: 150, dpiY: 150, dpiAssumed: false };
  }

  it('goes JPEG only when that takes half the bytes or less, and never when lossless is asked', async () => {
    const raster = stainedPage();
    const lossless = await encodePageImage({ kind: 'raster', raster }, { jpegQuality: null });
    const lossy = await encodePageImage({ kind: 'raster', raster }, { jpegQuality: 85 });
    expect(lossless.filter).toBe('FlateDecode');
    expect(lossy.filter).toBe('DCTDecode');
    expect(lossy.data.length).toBeLessThanOrEqual(lossless.data.length / 2);
  });

  it('keeps a clean grey page lossless when JPEG would not halve it', async () => {
    // Flat paper and solid strokes: Flate does as well as JPEG.
    const width = 600;
    const height = 400;
    const data = Buffer.alloc(width * height, 240);
    for (let y = 100; y < 300; y++) for (let x = 100; x < 500; x++) data[y * width + x] = 30;
    const xobject = await encodePageImage({ kind: 'raster', raster: { width, height, channels: 1, data, dpiX: 300, dpiY: 300, dpiAssumed: false } }, { jpegQuality: 85 });
    expect(xobject.filter).toBe('FlateDecode');
  });
});
