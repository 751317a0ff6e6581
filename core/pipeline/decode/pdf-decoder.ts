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
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, ParseSpeeds } from 'pdf-lib';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { AppError } from '../../errors.js';
import { invert, multiply, rasterToPageMatrix } from '../../geometry.js';
import type { ConvertOptions, Matrix, PageRaster } from '../../model.js';
import type { DecodedDocument, DecodedPage } from './decoded-document.js';
import { largestImagePixels } from './pdf-images.js';
import { isRealText } from './real-text.js';

const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));

/** Rendering a page never makes a canvas larger than this (RGBA: 4 bytes per pixel). */
const MAX_RENDER_PIXELS = 50e6;
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

export async function openPdf(file: string, options: ConvertOptions): Promise<DecodedDocument> {
  const bytes = await readFile(file);
  const doc = await loadWithPdfjs(bytes, options);
  if (doc.numPages === 0) {
    await doc.destroy();
    throw new AppError('PDF_NO_PAGES', 'The PDF has no pages.');
  }
  const sourcePdf = await loadWithPdfLib(bytes, doc.numPages);

  async function decodePage(index: number): Promise<DecodedPage> {
    const page = await doc.getPage(index + 1);
    try {
      const view = page.getViewport({ scale: 1 });
      const base = { pageNo: index + 1, widthPt: view.width, heightPt: view.height };
      const text = await pageText(page);
      const hasRealText = isRealText(text);
      if (hasRealText && !options.forceOcr && sourcePdf) {
        return { ...base, visual: { kind: 'source-page', index }, raster: null, rasterToPage: IDENTITY, existingText: text };
      }
      if (sourcePdf) {
        const largest = largestImagePixels(sourcePdf, index);
        if (largest && largest.pixels > options.maxImagePixels) {
          throw new AppError(
            'IMAGE_TOO_LARGE',
            `Page ${index + 1} holds a ${largest.width}×${largest.height} image (${(largest.pixels / 1e6).toFixed(0)} MP), above the ${(options.maxImagePixels / 1e6).toFixed(0)} MP limit; if the scan is genuine, raise input.maxImagePixels.`,
            { details: { page: index + 1, ...largest } },
          );
        }
      }
      const scan = (await extractScannedImage(page)) ?? (await renderPage(page, options.pdfRenderDpi));
      // A forced OCR replaces an old text layer instead of stacking a second one on it.
      const copy = sourcePdf !== null && !(hasRealText && options.forceOcr);
      return {
        ...base,
        visual: copy ? { kind: 'source-page', index } : { kind: 'image', image: { kind: 'raster', raster: scan.raster }, dpiX: scan.raster.dpiX, dpiY: scan.raster.dpiY },
        raster: scan.raster,
        rasterToPage: copy ? scan.toUserSpace : rasterToPageMatrix(scan.raster.width, scan.raster.height, scan.raster.dpiX, scan.raster.dpiY),
        existingText: null,
      };
    } finally {
      page.cleanup();
    }
  }

  return {
    pageCount: doc.numPages,
    sourcePdf,
    async *pages() {
      for (let index = 0; index < doc.numPages; index++) yield await decodePage(index);
    },
    async close() {
      await doc.destroy();
    },
  };
}

async function loadWithPdfjs(bytes: Buffer, options: ConvertOptions): Promise<PDFDocumentProxy> {
  try {
    return await pdfjs.getDocument({
      // pdf.js takes ownership of the buffer it is given: hand it a copy.
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false,
      enableXfa: false,
      verbosity: pdfjs.VerbosityLevel.ERRORS,
      // The last line of defence against decompression bombs: pdf.js skips larger images.
      maxImageSize: options.maxImagePixels,
      wasmUrl: `${pdfjsRoot}/wasm/`,
      standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
      cMapUrl: `${pdfjsRoot}/cmaps/`,
      cMapPacked: true,
    }).promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new AppError('PDF_ENCRYPTED', 'The PDF is protected by a password; save an unprotected copy and ingest that.', { cause: error });
    }
    throw new AppError('PDF_CORRUPT', `The PDF cannot be read (${(error as Error).message}); it is damaged or not really a PDF — export or scan it again.`, { cause: error });
  }
}

/** pdf-lib copies pages untouched; it cannot decrypt, and gives up on some damaged files. */
async function loadWithPdfLib(bytes: Buffer, expectedPages: number): Promise<PDFDocument | null> {
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
    if (doc.isEncrypted || doc.getPageCount() !== expectedPages) return null;
    return doc;
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

interface Scan {
  raster: PageRaster;
  /** The raster's pixels onto the page's user space. */
  toUserSpace: Matrix;
}

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

/** RGB(A) pixels as grey when every pixel is grey, else as RGB; alpha is flattened onto white. */
function packColour(data: Uint8Array | Uint8ClampedArray, pixels: number, stride: number, hasAlpha: boolean): Pick<PageRaster, 'channels' | 'data'> {
  const rgb = Buffer.alloc(pixels * 3);
  let grey = true;
  for (let p = 0; p < pixels; p++) {
    const s = p * stride;
    const alpha = hasAlpha ? data[s + 3]! / 255 : 1;
    const r = Math.round(data[s]! * alpha + 255 * (1 - alpha));
    const g = Math.round(data[s + 1]! * alpha + 255 * (1 - alpha));
    const b = Math.round(data[s + 2]! * alpha + 255 * (1 - alpha));
    rgb[p * 3] = r;
    rgb[p * 3 + 1] = g;
    rgb[p * 3 + 2] = b;
    if (grey && (r !== g || g !== b)) grey = false;
  }
  if (!grey) return { channels: 3, data: rgb };
  const out = Buffer.alloc(pixels);
  for (let p = 0; p < pixels; p++) out[p] = rgb[p * 3]!;
  return { channels: 1, data: out };
}

async function renderPage(page: PDFPageProxy, preferredDpi: number): Promise<Scan> {
  const unit = page.getViewport({ scale: 1 });
  const pixelsAt = (dpi: number) => ((unit.width * dpi) / 72) * ((unit.height * dpi) / 72);
  const dpi = pixelsAt(preferredDpi) > MAX_RENDER_PIXELS ? Math.sqrt(MAX_RENDER_PIXELS / pixelsAt(1)) : preferredDpi;
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  // @napi-rs/canvas is the canvas pdf.js itself uses on Node; the typings expect the DOM's.
  await page.render({ canvas, canvasContext: context, viewport } as unknown as Parameters<PDFPageProxy['render']>[0]).promise;
  const rgba = context.getImageData(0, 0, width, height).data;
  const raster: PageRaster = { width, height, dpiX: dpi, dpiY: dpi, dpiAssumed: false, ...packColour(rgba, width * height, 4, true) };
  return { raster, toUserSpace: invert(viewport.transform as unknown as Matrix) };
}
