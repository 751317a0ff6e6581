/**
 * Generated batch scans: text pages, blank pages and separator sheets (the PDF `acervo
 * separator-sheet` writes, rendered as a scanner would see it: at a chosen resolution, turned a
 * few degrees, bilevel, specked) bound into one PDF or multi-page TIFF.
 */
import { deflateSync } from 'node:zlib';
import { createCanvas } from '@napi-rs/canvas';
import { degrees, drawImage, PDFDocument } from 'pdf-lib';
import { pdfjs } from '../../core/pipeline/decode/pdfjs.js';
import sharp from 'sharp';
import { makePage } from './make-page.js';

export interface ScanLook {
  dpi: number;
  /** Degrees the sheet lay crooked on the glass. */
  skew?: number;
  /** Thresholded to black and white, as document scanners' default mode. */
  bilevel?: boolean;
  /** Fraction of pixels flipped to black (dust, toner specks). */
  specks?: number;
}

/** A page as a scanner delivers it: grey PNG at `look.dpi`. */
export interface ScannedPage {
  png: Buffer;
  dpi: number;
}

/** An A4 page of text lines, as a 200–300 DPI scan. */
export async function textPage(lines: string[], dpi = 200): Promise<ScannedPage> {
  const scale = dpi / 300;
  const { png } = await makePage(
    lines.map((line) => line.split(' ')),
    { width: Math.round(2480 * scale), height: Math.round(3508 * scale), dpi, size: Math.round(42 * scale), left: Math.round(220 * scale), top: Math.round(320 * scale), lineGap: Math.round(80 * scale) },
  );
  return { png, dpi };
}

/** A blank A4 sheet, with a little paper noise. */
export async function blankPage(dpi = 200): Promise<ScannedPage> {
  const width = Math.round((2480 * dpi) / 300);
  const height = Math.round((3508 * dpi) / 300);
  const png = await sharp({ create: { width, height, channels: 3, background: '#f7f5f0' } }).greyscale().withMetadata({ density: dpi }).png().toBuffer();
  return { png, dpi };
}

/** A scan as its grey pixels (one band, a byte each), as a decoder hands a page on. */
export interface ScanPixels {
  data: Buffer;
  width: number;
  height: number;
  dpi: number;
}

/** The first page of a PDF (the separator sheet) as a scan of the printed sheet. */
export async function scanOfPdf(pdf: Uint8Array, look: ScanLook): Promise<ScannedPage> {
  const scan = await scanPixelsOfPdf(pdf, look);
  const png = await sharp(scan.data, { raw: { width: scan.width, height: scan.height, channels: 1 } }).withMetadata({ density: look.dpi }).png().toBuffer();
  return { png, dpi: look.dpi };
}

/**
 * scanOfPdf's scan as its pixels, for a test that looks at them rather than binds them into a file:
 * the PNG would hold the same pixels (lossless), and writing and decoding it takes seconds at 600 DPI.
 */
export async function scanPixelsOfPdf(pdf: Uint8Array, look: ScanLook): Promise<ScanPixels> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: pdfjs.VerbosityLevel.ERRORS }).promise;
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale: look.dpi / 72 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas, canvasContext: context, viewport } as unknown as Parameters<typeof page.render>[0]).promise;
    // The canvas's pixels as they are: encoding them to PNG for sharp to decode (seconds at 600 DPI)
    // would give sharp the same pixels.
    let image = sharp(canvas.data(), { raw: { width: canvas.width, height: canvas.height, channels: 4 } }).greyscale();
    if (look.skew) image = image.rotate(look.skew, { background: '#ffffff' });
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    if (look.specks) {
      let seed = 7;
      for (let i = 0; i < data.length; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        if (seed / 0x7fffffff < look.specks) data[i] = 0;
      }
    }
    const bilevel = look.bilevel ? await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).threshold(128).toColourspace('b-w').raw().toBuffer() : data;
    return { data: bilevel, width: info.width, height: info.height, dpi: look.dpi };
  } finally {
    await doc.destroy();
  }
}

/**
 * The pages bound into one PDF, one image per page at its physical size (as scanners write them).
 * `scannedAt` is the date the PDF says it was made (otherwise now, to the second).
 */
export async function batchPdf(pages: readonly ScannedPage[], scannedAt?: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  if (scannedAt) {
    doc.setCreationDate(scannedAt);
    doc.setModificationDate(scannedAt);
  }
  for (const page of pages) await addScanPage(doc, page);
  return doc.save();
}

/**
 * A page holding the scan, drawn as pdf-lib's embedPng and drawImage would: the PNG's pixels as
 * 8-bit RGB deflated, no soft mask when it is opaque. Its pixels are decoded by sharp and
 * deflated by node's zlib rather than by pdf-lib's JavaScript PNG decoder and deflate, which took
 * most of the time of writing a batch. A PNG that is not plain 8-bit (or has transparency) goes
 * through embedPng itself.
 */
async function addScanPage(doc: PDFDocument, page: ScannedPage): Promise<void> {
  const meta = await sharp(page.png).metadata();
  const plain = meta.bitsPerSample === 8 && !meta.isPalette && (!meta.hasAlpha || (await sharp(page.png).stats()).isOpaque);
  if (!plain) {
    const image = await doc.embedPng(page.png);
    const [width, height] = [(image.width * 72) / page.dpi, (image.height * 72) / page.dpi];
    doc.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
    return;
  }
  const { data, info } = await sharp(page.png).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = doc.context.register(
    doc.context.stream(deflateSync(data), { Type: 'XObject', Subtype: 'Image', BitsPerComponent: 8, Width: info.width, Height: info.height, ColorSpace: 'DeviceRGB', Filter: 'FlateDecode' }),
  );
  const [width, height] = [(info.width * 72) / page.dpi, (info.height * 72) / page.dpi];
  const pdfPage = doc.addPage([width, height]);
  const name = pdfPage.node.newXObject('Image', image);
  pdfPage.pushOperators(...drawImage(name, { x: 0, y: 0, width, height, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }));
}

/** The pages as one multi-page grey TIFF (all pages must have the same size). */
export async function batchTiff(pages: readonly ScannedPage[], file: string): Promise<void> {
  const dpi = pages[0]!.dpi;
  // Three equal bands: libvips joins one-band pages into a TIFF with a spurious alpha band.
  const raws = await Promise.all(pages.map((p) => sharp(p.png).toColourspace('srgb').removeAlpha().png().toBuffer()));
  await sharp(raws, { join: { animated: true } })
    .toColourspace('b-w')
    .tiff({ compression: 'lzw', xres: dpi / 25.4, yres: dpi / 25.4, resolutionUnit: 'inch' })
    .toFile(file);
}
