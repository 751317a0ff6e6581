/**
 * PDF input, one page at a time, read by pdf.js (Mozilla's renderer: JBIG2, CCITT, JPEG 2000,
 * broken cross-reference tables) and copied by pdf-lib.
 *
 * For each page:
 * - a real text layer of its own is kept as it is (unless OCR is forced);
 * - a page that is one scanned image gets that image's own pixels, at its own resolution;
 * - any other page (vector drawings, several images) is rendered at the configured resolution.
 * The output page is the source page copied untouched whenever pdf-lib can read the file,
 * so the original scan's bytes and compression stay as they were.
 *
 * Memory: a file up to `wholeLoadBytes` (64 MB) is read into memory once, pdf-lib parses it and
 * pdf.js then takes those bytes over. A larger file is never read whole: pdf.js reads it by byte
 * ranges and is reopened every window of pages (pdfjs-document.ts), and pages are copied from a
 * small pdf-lib context per page read from disk (file-source-pdf.ts), so memory does not grow
 * with the page count or the file's size (files up to 4 GiB, what pdf.js can address).
 */
import { PDFDocument, ParseSpeeds } from 'pdf-lib';
import { pdfjs } from './pdfjs.js';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { AppError, isAppError } from '../../errors.js';
import { multiply, rasterToPageMatrix } from '../../geometry.js';
import type { ConvertOptions, Matrix, PageRaster } from '../../model.js';
import { FileSourcePdf } from '../../pdf/source/file-source-pdf.js';
import { RandomAccessFile } from '../../pdf/source/random-access-file.js';
import { wholeSourcePdf, type SourcePage, type SourcePdf } from '../../pdf/source/source-pdf.js';
import type { DecodedDocument, DecodedPage, MissingPart } from './decoded-document.js';
import { pdfTailDamage, withRecoveredTrailer } from './pdf-structure.js';
import { openPdfjsByRanges, openPdfjsFromBytes, type PdfjsReader, type PdfjsWindow } from './pdfjs-document.js';
import { largestImagePixels } from './pdf-images.js';
import { packColour, renderPdfPage, type RenderedRaster } from './render-pdf-page.js';
import { isRealText } from './real-text.js';

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** pdf.js holds a file in one array, which Node caps at 4 GiB. */
const MAX_PDF_BYTES = 2 ** 32 - 1;
const DEFAULT_WHOLE_LOAD_MB = 64;

/** How a PDF is read; the defaults suit production, tests and the benchmark change them. */
export interface PdfReading extends PdfjsWindow {
  /**
   * Files up to this size are read whole, by pdf.js and pdf-lib (the fastest way, and pdf-lib
   * then copies pages even from a file whose cross-reference is damaged); larger ones by byte
   * ranges (pdfjs-document.ts) and page by page (file-source-pdf.ts). Memory is then bounded
   * by this size for small files and independent of the file for large ones.
   * `input.pdfWholeLoadMb` (ACERVO_PDF_WHOLE_LOAD_MB) sets it (0: always by ranges).
   */
  wholeLoadBytes: number;
}

export function pdfReading(wholeLoadMb = DEFAULT_WHOLE_LOAD_MB): PdfReading {
  return {
    wholeLoadBytes: wholeLoadMb * 1024 * 1024,
    reopenPages: 32,
    reopenBytes: 64 * 1024 * 1024,
    // Small: opening walks the whole page tree, and where page dictionaries lie between the
    // scans (no object streams) each costs a chunk; the scans themselves are read in one request.
    rangeChunkSize: 4 * 1024,
  };
}

export async function openPdf(file: string, options: ConvertOptions, reading: PdfReading = pdfReading(options.pdfWholeLoadMb)): Promise<DecodedDocument> {
  let input: RandomAccessFile;
  try {
    input = await RandomAccessFile.open(file);
  } catch (error) {
    throw new AppError('INPUT_UNREADABLE', `The file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { cause: error });
  }
  let doc: PdfjsReader | null = null;
  let sourcePdf: SourcePdf | null = null;
  let damage: string | null = null;
  try {
    damage = await pdfTailDamage(input);
    if (input.size > MAX_PDF_BYTES) {
      throw new AppError('INPUT_UNREADABLE', `The PDF is ${(input.size / 2 ** 30).toFixed(1)} GiB; PDFs over 4 GiB cannot be read (the PDF reader holds a file in one array): split it and ingest the parts.`);
    }
    if (input.size <= reading.wholeLoadBytes) {
      // One copy of the file: pdf-lib reads it first, then pdf.js takes it over.
      const bytes = await readAll(input);
      await input.close();
      sourcePdf = await loadWithPdfLib(bytes);
      // pdf.js takes its array over: a file cut short keeps a copy, to try again with a trailer.
      const recovered = damage ? withRecoveredTrailer(bytes) : null;
      doc = await openPdfjsFromBytes(bytes, options.maxImagePixels).catch((error: unknown) => {
        if (!recovered) throw error;
        return openPdfjsFromBytes(recovered, options.maxImagePixels);
      });
    } else {
      doc = await openPdfjsByRanges(input, options.maxImagePixels, reading);
      sourcePdf = await openLazily(input);
    }
    if (doc.numPages === 0) throw new AppError('PDF_NO_PAGES', 'The PDF has no pages.');
    if (sourcePdf && sourcePdf.pageCount !== doc.numPages) {
      await sourcePdf.close();
      sourcePdf = null;
    }
  } catch (error) {
    await doc?.close().catch(() => {});
    await sourcePdf?.close().catch(() => {});
    await input.close().catch(() => {});
    // Unreadable because it was cut short: say so, so that it is copied again rather than given up.
    if (damage && isAppError(error) && (error.code === 'PDF_CORRUPT' || error.code === 'PDF_NO_PAGES')) {
      throw new AppError('INPUT_TRUNCATED', `The PDF is cut short: ${damage}; no page could be read. Copy the whole file again.`, { cause: error, details: { pagesRead: 0, fileBytes: input.size } });
    }
    throw error;
  }
  const reader = doc;
  // pdf.js rebuilt what it could: the pages it found are read, the document marked incomplete.
  const cutShort = (pagesRead: number): MissingPart => ({
    message: `The PDF is cut short: ${damage}; ${pagesRead} of the ${reader.numPages} page(s) it lists could be read.`,
    details: { pagesRead, pagesExpected: reader.numPages, fileBytes: input.size },
  });
  let incomplete: MissingPart | null = damage ? cutShort(reader.numPages) : null;

  /** The page as pdf-lib reads it, to copy; null when it cannot be copied (read from disk and found damaged). */
  async function sourcePage(index: number): Promise<SourcePage | null> {
    if (!sourcePdf) return null;
    try {
      return await sourcePdf.page(index);
    } catch (error) {
      if (isAppError(error) && error.code === 'PDF_CORRUPT') return null;
      throw error;
    }
  }

  async function decodePage(index: number): Promise<DecodedPage> {
    const page = await reader.page(index);
    try {
      const view = page.getViewport({ scale: 1 });
      const base = { pageNo: index + 1, widthPt: view.width, heightPt: view.height };
      const text = await reader.guard(pageText(page));
      const hasRealText = isRealText(text);
      const source = await sourcePage(index);
      if (hasRealText && !options.forceOcr && source) {
        return { ...base, visual: { kind: 'source-page', index, page: source }, raster: null, rasterToPage: IDENTITY, existingText: text };
      }
      if (source) {
        const largest = largestImagePixels(source);
        if (largest && largest.pixels > options.maxImagePixels) {
          throw new AppError(
            'IMAGE_TOO_LARGE',
            `Page ${index + 1} holds a ${largest.width}×${largest.height} image (${(largest.pixels / 1e6).toFixed(0)} MP), above the ${(options.maxImagePixels / 1e6).toFixed(0)} MP limit; if the scan is genuine, raise input.maxImagePixels.`,
            { details: { page: index + 1, ...largest } },
          );
        }
      }
      const scan = await reader.guard((async () => (await extractScannedImage(page)) ?? (await renderPdfPage(page, options.pdfRenderDpi)))());
      // A forced OCR replaces an old text layer instead of stacking a second one on it.
      const copy = source !== null && !(hasRealText && options.forceOcr);
      return {
        ...base,
        visual: copy ? { kind: 'source-page', index, page: source } : { kind: 'image', image: { kind: 'raster', raster: scan.raster }, dpiX: scan.raster.dpiX, dpiY: scan.raster.dpiY },
        raster: scan.raster,
        rasterToPage: copy ? scan.toUserSpace : rasterToPageMatrix(scan.raster.width, scan.raster.height, scan.raster.dpiX, scan.raster.dpiY),
        existingText: null,
      };
    } finally {
      page.cleanup();
    }
  }

  return {
    pageCount: reader.numPages,
    get incomplete() {
      return incomplete;
    },
    sourcePdf,
    async *pages() {
      for (let index = 0; index < reader.numPages; index++) {
        let page: DecodedPage;
        try {
          page = await decodePage(index);
        } catch (error) {
          // In a file cut short, the first page whose objects are missing is where it ends.
          if (!damage || (isAppError(error) && error.scope !== 'input')) throw error;
          if (index === 0) throw new AppError('INPUT_TRUNCATED', `The PDF is cut short: ${damage}; no page could be read. Copy the whole file again.`, { cause: error });
          incomplete = cutShort(index);
          return;
        }
        yield page;
      }
    },
    async close() {
      await reader.close().catch(() => {});
      await sourcePdf?.close();
      await input.close();
    },
  };
}

/** The whole file in an array of its own (pdf.js takes such an array over without copying it). */
async function readAll(input: RandomAccessFile): Promise<Uint8Array> {
  try {
    return await input.read(0, input.size);
  } catch (error) {
    throw new AppError('INPUT_UNREADABLE', `The file cannot be read (${(error as Error).message}).`, { cause: error });
  }
}

/** pdf-lib copies pages untouched; it cannot decrypt, and gives up on some damaged files. */
async function loadWithPdfLib(bytes: Uint8Array): Promise<SourcePdf | null> {
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
    if (doc.isEncrypted) return null;
    return wholeSourcePdf(doc);
  } catch {
    return null;
  }
}

/** The file read page by page from disk; null (pages not copied, their pixels used) when its cross-reference cannot be read that way. */
async function openLazily(input: RandomAccessFile): Promise<SourcePdf | null> {
  try {
    return await FileSourcePdf.open(input);
  } catch {
    return null;
  }
}

async function pageText(page: PDFPageProxy): Promise<string> {
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return text.trim();
}

/** A page's pixels (its one scanned image, or a rendering) and where they lie on it. */
type Scan = RenderedRaster;

/** Operators that do not change what a single full-page image looks like. */
const NEUTRAL_OPS = new Set<number>([
  pdfjs.OPS.save,
  pdfjs.OPS.restore,
  pdfjs.OPS.transform,
  pdfjs.OPS.dependency,
  pdfjs.OPS.setGState,
  pdfjs.OPS.beginMarkedContent,
  pdfjs.OPS.beginMarkedContentProps,
  pdfjs.OPS.endMarkedContent,
]);

/** The page's own pixels when the page is exactly one upright image covering it, else null. */
async function extractScannedImage(page: PDFPageProxy): Promise<Scan | null> {
  if (page.rotate % 360 !== 0) return null;
  const operators = await page.getOperatorList();
  let ctm: Matrix = IDENTITY;
  const stack: Matrix[] = [];
  let found: { id: string; ctm: Matrix } | null = null;
  for (let i = 0; i < operators.fnArray.length; i++) {
    const fn = operators.fnArray[i];
    const args = operators.argsArray[i] as unknown[];
    if (fn === pdfjs.OPS.paintImageXObject) {
      if (found) return null;
      found = { id: String(args[0]), ctm };
    } else if (fn === pdfjs.OPS.save) {
      stack.push(ctm);
    } else if (fn === pdfjs.OPS.restore) {
      ctm = stack.pop() ?? IDENTITY;
    } else if (fn === pdfjs.OPS.transform) {
      ctm = multiply(args as unknown as Matrix, ctm);
    } else if (fn === undefined || !NEUTRAL_OPS.has(fn)) {
      return null;
    }
  }
  if (!found) return null;
  const [a, b, c, d, e, f] = found.ctm;
  const [x0, y0, x1, y1] = page.view as [number, number, number, number];
  const tolerance = Math.max(2, 0.01 * Math.max(x1 - x0, y1 - y0));
  const coversPage =
    Math.abs(b) < 1e-6 && Math.abs(c) < 1e-6 && a > 0 && d > 0 &&
    Math.abs(e - x0) <= tolerance && Math.abs(f - y0) <= tolerance &&
    Math.abs(e + a - x1) <= tolerance && Math.abs(f + d - y1) <= tolerance;
  if (!coversPage) return null;

  const objects = found.id.startsWith('g_') ? page.commonObjs : page.objs;
  const image = await new Promise<PdfjsImage | null>((resolve) => objects.get(found.id, resolve));
  if (!image || !image.data || !image.width || !image.height) return null;
  const raster = imageToRaster(image, (image.width * 72) / a, (image.height * 72) / d);
  if (!raster) return null;
  // Image pixel (u, v), v down, sits at unit-square point (u/W, 1 − v/H) under the image's CTM.
  const toUserSpace: Matrix = [a / image.width, 0, 0, -d / image.height, e, d + f];
  return { raster, toUserSpace };
}

interface PdfjsImage {
  width: number;
  height: number;
  kind: number;
  data?: Uint8Array | Uint8ClampedArray;
}

function imageToRaster(image: PdfjsImage, dpiX: number, dpiY: number): PageRaster | null {
  const { width, height } = image;
  const data = image.data!;
  const pixels = width * height;
  const base = { width, height, dpiX, dpiY, dpiAssumed: false };
  if (image.kind === pdfjs.ImageKind.GRAYSCALE_1BPP) {
    const grey = Buffer.alloc(pixels);
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // pdf.js: bit 1 is white, most significant bit first.
        grey[y * width + x] = (data[y * rowBytes + (x >> 3)]! & (0x80 >> (x & 7))) !== 0 ? 255 : 0;
      }
    }
    return { ...base, channels: 1, data: grey };
  }
  const stride = image.kind === pdfjs.ImageKind.RGB_24BPP ? 3 : image.kind === pdfjs.ImageKind.RGBA_32BPP ? 4 : 0;
  if (stride === 0 || data.length < pixels * stride) return null;
  return { ...base, ...packColour(data, pixels, stride, stride === 4) };
}
