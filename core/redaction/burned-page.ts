/**
 * One page of a redacted copy with its boxes burned in. A scan as Acervo writes it (one upright
 * image and the invisible text) is burned in its image's own pixels (scan-image.ts); any other
 * page is drawn as a viewer shows it (pdf.js, turned, annotations' appearances included) at the
 * resolution of its scan. The boxes are painted black into those pixels, and the page's content
 * becomes that picture alone, with the text pdf.js read, less every character under a box, as
 * Acervo's invisible glyphless layer. Nothing of the page's earlier content is referenced any more: its images, fonts and
 * forms go when the copy is written (redacted-pdf.ts removes what nothing reaches).
 *
 * A bilevel scan stays bilevel (G4), a JPEG scan JPEG (quality 90), a lossless scan lossless; a
 * page drawn from other content is written as page-image.ts writes scans (lossless unless a JPEG
 * halves the size).
 */
import { PDFName, type PDFDocument, type PDFPageLeaf, type PDFRef } from 'pdf-lib';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { invert, multiply } from '../geometry.js';
import type { Matrix, OcrLine, PageRaster } from '../model.js';
import { encodePageImage, jpegPageImage, registerImageXObject, type ImageXObject } from '../pdf/page-image.js';
import { pageText, textLines } from '../pdf/pdfjs-text-lines.js';
import { textLayerOperators } from '../pdf/text-layer.js';
import { largestImagePixels } from '../pipeline/decode/pdf-images.js';
import { renderPdfPage } from '../pipeline/decode/render-pdf-page.js';
import { intersection } from '../rectangles.js';
import type { PageBox } from './page-box.js';
import { scanImageOf } from './scan-image.js';
import { charactersBox, itemFrame, shownPageTransform, type PageReading } from './page-reading.js';

/** Resolution for a page without images (born-digital): fine print stays legible. */
const TEXT_PAGE_DPI = 200;
const MIN_DPI = 150;
const MAX_DPI = 400;
/** A grey pixel of a bilevel scan, drawn by pdf.js with smoothing, is black below this. */
const BILEVEL_THRESHOLD = 128;
/** For a grey or colour page that was not JPEG: lossless unless a JPEG at this quality halves it. */
const JPEG_QUALITY = 85;
const IMAGE_NAME = 'Page';
const FONT_NAME = 'OCR';
/** Page entries that describe the page's old geometry: the new page is the page as shown. */
const OLD_GEOMETRY = ['CropBox', 'BleedBox', 'TrimBox', 'ArtBox', 'UserUnit', 'VP'];

export interface BurnedPage {
  dpi: number;
  bilevel: boolean;
  /** Characters of the page's text left out of its text layer. */
  charactersRemoved: number;
  /** Drawn by pdf.js; false: a scan as Acervo writes it, burned in its own pixels (scan-image.ts). */
  drawn: boolean;
}

export async function burnPage(doc: PDFDocument, leaf: PDFPageLeaf, page: PDFPageProxy, reading: PageReading, boxes: readonly PageBox[], font: () => PDFRef): Promise<BurnedPage> {
  const scan = await scanImageOf(doc.context, leaf);
  const { raster, bilevel, image } = scan ? { raster: scan.raster, bilevel: scan.kind === 'g4' || scan.kind === 'bilevel', image: scan.kind } : await drawPage(doc, leaf, page, reading);
  const jpeg = image === 'jpeg' && !bilevel;
  // In a JPEG, a box on whole 8×8 blocks is black to its edges: no ringing from its neighbours.
  const burned = jpeg ? boxes.map((box) => onBlocks(box, raster)) : boxes;
  for (const box of burned) paintBlack(raster, box);

  const kept = keptText(reading, burned);
  const { width, height } = reading;
  const rasterToPage: Matrix = [width / raster.width, 0, 0, -height / raster.height, 0, height];
  const lines = textLines(kept.items, kept.starts, kept.text, invert(rasterToPage));
  leaf.set(PDFName.of('MediaBox'), doc.context.obj([0, 0, width, height]));
  leaf.set(PDFName.of('Rotate'), doc.context.obj(0));
  for (const key of OLD_GEOMETRY) leaf.delete(PDFName.of(key));
  // Stored as it was: bilevel as G4, a JPEG scan as JPEG, a lossless one lossless; a page drawn
  // from other content lossless unless a JPEG halves it.
  const encoding = { jpegQuality: image === 'lossless' ? null : JPEG_QUALITY };
  const xobject = await encodePageImage(jpeg ? await jpegPageImage(raster) : { kind: 'raster', raster }, encoding);
  replaceContent(doc, leaf, xobject, rasterToPage, lines, font);
  return { dpi: (72 * raster.width) / width, bilevel, charactersRemoved: kept.removed, drawn: scan === null };
}

/** The page drawn by pdf.js as a viewer shows it, at its scan's resolution (a bilevel scan thresholded back to black and white). */
async function drawPage(doc: PDFDocument, leaf: PDFPageLeaf, page: PDFPageProxy, reading: PageReading): Promise<{ raster: PageRaster; bilevel: boolean; image: 'jpeg' | 'other' }> {
  const largest = largestImagePixels({ context: doc.context, node: leaf });
  const scanDpi = largest ? Math.sqrt(largest.pixels / ((reading.width / 72) * (reading.height / 72))) : TEXT_PAGE_DPI;
  const dpi = Math.round(Math.min(MAX_DPI, Math.max(MIN_DPI, scanDpi)));
  const { raster } = await renderPdfPage(page, dpi);
  const bilevel = largest?.bilevel === true && raster.channels === 1;
  if (bilevel) threshold(raster);
  return { raster, bilevel, image: largest?.jpeg ? 'jpeg' : 'other' };
}

/** The page's content becomes the picture and the invisible text; its resources only what those use. */
function replaceContent(doc: PDFDocument, leaf: PDFPageLeaf, xobject: ImageXObject, rasterToPage: Matrix, lines: OcrLine[], font: () => PDFRef): void {
  const context = doc.context;
  const image = registerImageXObject(context, xobject);
  // The unit square onto the raster's pixels (y down), then onto the page.
  const placement = multiply([xobject.width, 0, 0, -xobject.height, 0, xobject.height], rasterToPage);
  const draw = `q ${placement.map((v) => +v.toFixed(6)).join(' ')} cm /${IMAGE_NAME} Do Q\n`;
  const text = lines.length > 0 ? textLayerOperators(lines, rasterToPage, FONT_NAME) : '';
  leaf.set(PDFName.of('Contents'), context.register(context.flateStream(draw + text)));
  leaf.set(PDFName.of('Resources'), context.obj({ XObject: { [IMAGE_NAME]: image }, ...(lines.length > 0 ? { Font: { [FONT_NAME]: font() } } : {}) }));
}

function threshold(raster: PageRaster): void {
  const data = raster.data;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! < BILEVEL_THRESHOLD ? 0 : 255;
}

/** The box grown to the 8×8 pixel blocks of a JPEG of the raster. */
function onBlocks(box: PageBox, raster: PageRaster): PageBox {
  const block = (value: number, size: number, grow: (n: number) => number) => Math.min(size, 8 * grow((value * size) / 8)) / size;
  return { x0: block(box.x0, raster.width, Math.floor), y0: block(box.y0, raster.height, Math.floor), x1: block(box.x1, raster.width, Math.ceil), y1: block(box.y1, raster.height, Math.ceil) };
}

/** Every pixel the box touches becomes black: the pixels under it are gone, not covered. */
export function paintBlack(raster: PageRaster, box: PageBox): void {
  const x0 = Math.max(0, Math.floor(box.x0 * raster.width));
  const x1 = Math.min(raster.width, Math.ceil(box.x1 * raster.width));
  const y0 = Math.max(0, Math.floor(box.y0 * raster.height));
  const y1 = Math.min(raster.height, Math.ceil(box.y1 * raster.height));
  if (x1 <= x0 || y1 <= y0) return;
  const { channels, data } = raster;
  for (let y = y0; y < y1; y++) data.fill(0, (y * raster.width + x0) * channels, (y * raster.width + x1) * channels);
}

/**
 * The page's text items less every character whose place touches a box, each item cut into the
 * runs of characters it keeps, placed on the page as shown (y up).
 */
function keptText(reading: PageReading, boxes: readonly PageBox[]): { items: TextItem[]; text: string; starts: number[]; removed: number } {
  const toShown = shownPageTransform(reading);
  const items: TextItem[] = [];
  let removed = 0;
  reading.items.forEach((item, index) => {
    const count = item.str.length;
    const whole = count > 0 ? charactersBox(reading, index, 0, count) : null;
    const touched = whole !== null && boxes.some((box) => intersection(box, whole) > 0);
    const runs: Array<[number, number]> = [];
    if (!touched) {
      if (count > 0) runs.push([0, count]);
    } else {
      let start = -1;
      for (let k = 0; k <= count; k++) {
        const covered = k < count && boxes.some((box) => intersection(box, charactersBox(reading, index, k, k + 1)) > 0);
        if (k < count && covered) removed++;
        if (k < count && !covered) {
          if (start < 0) start = k;
        } else if (start >= 0) {
          runs.push([start, k]);
          start = -1;
        }
      }
    }
    const { e, f, along, width } = itemFrame(item);
    const [a, b, c, d] = item.transform as number[] as [number, number, number, number];
    runs.forEach(([from, to], run) => {
      const offset = (width * from) / Math.max(1, count);
      const transform = multiply([a, b, c, d, e + offset * along[0], f + offset * along[1]], toShown);
      items.push({ ...item, str: item.str.slice(from, to), width: (width * (to - from)) / Math.max(1, count), transform: [...transform], hasEOL: item.hasEOL && run === runs.length - 1 });
    });
    // A line's end survives its last word being covered.
    if (item.hasEOL && runs.length === 0) items.push({ ...item, str: '', width: 0, transform: [...multiply(item.transform as unknown as Matrix, toShown)], hasEOL: true });
  });
  return { items, ...pageText(items), removed };
}
