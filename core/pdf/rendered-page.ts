/**
 * A page whose own fonts' text holds a personal number, replaced by a picture of itself.
 *
 * Text in arbitrary fonts cannot be masked in place (encodings, subsets and ToUnicode maps are
 * too many to trust), so pdf.js reads the page as a reader would; when the mask changes that
 * text, the page is rendered (pdf.js on @napi-rs/canvas, at 200 DPI, as pdf-decoder.ts renders),
 * its content becomes that image alone — no text operators, no fonts, no forms of its own — and
 * the text pdf.js read, masked, is laid over it as Acervo's invisible glyphless layer, each item
 * fitted to where pdf.js placed it. Annotations are left to the caller (they stay on the page and
 * are not painted into the picture).
 *
 * pdf.js reads a one-page copy of the page as it stands (the glyphless layer already masked in
 * place), so only what is still readable decides.
 */
import { PDFDocument, PDFName, PDFObjectCopier, PDFPage, type PDFPageLeaf, type PDFRef } from 'pdf-lib';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { invert, multiply } from '../geometry.js';
import type { Matrix, OcrLine, OcrWord, PageRaster } from '../model.js';
import { openPdfjsFromBytes } from '../pipeline/decode/pdfjs-document.js';
import { renderPdfPage } from '../pipeline/decode/render-pdf-page.js';
import { encodePageImage, registerImageXObject } from './page-image.js';
import { textLayerOperators } from './text-layer.js';
import type { TextMask } from './xml-text-mask.js';

export const RENDER_DPI = 200;
const JPEG_QUALITY = 85;
const IMAGE_NAME = 'Page';
const FONT_NAME = 'OCR';
/** Entries of a page that neither pdf.js's text nor its rendering needs. */
const NOT_FOR_READING = ['Annots', 'Thumb', 'PieceInfo', 'Metadata', 'StructParents', 'B', 'AA'];

/** The page as pdf.js reads it: its text, items in reading order. */
function pageText(items: readonly TextItem[]): { text: string; starts: number[] } {
  let text = '';
  const starts: number[] = [];
  for (const item of items) {
    starts.push(text.length);
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return { text, starts };
}

/**
 * Reads `leaf`, a page of `doc`, with pdf.js; when `mask` changes its text, replaces the page's
 * content by its picture with the masked text as an invisible layer in the glyphless font
 * `font()` gives. True when the page was replaced.
 */
export async function renderPageIfMasked(doc: PDFDocument, leaf: PDFPageLeaf, mask: TextMask, font: () => PDFRef): Promise<boolean> {
  const reader = await openPdfjsFromBytes(await onePagePdf(doc, leaf), -1);
  try {
    const page = await reader.page(0);
    try {
      const content = await page.getTextContent();
      const items = content.items.filter((item): item is TextItem => 'str' in item);
      const { text, starts } = pageText(items);
      const masked = mask(text);
      if (masked === text) return false;
      const { raster, rasterToPage } = await render(page);
      const lines = textLines(items, starts, masked, invert(rasterToPage));
      await replaceContent(doc, leaf, raster, rasterToPage, lines, font);
      return true;
    } finally {
      page.cleanup();
    }
  } finally {
    await reader.close();
  }
}

/** The page alone in a PDF of its own, without what a reading or rendering of it ignores. */
async function onePagePdf(doc: PDFDocument, leaf: PDFPageLeaf): Promise<Uint8Array> {
  const single = await PDFDocument.create({ updateMetadata: false });
  const clone = leaf.clone();
  for (const key of NOT_FOR_READING) clone.delete(PDFName.of(key));
  const copied = PDFObjectCopier.for(doc.context, single.context).copy(clone);
  single.addPage(PDFPage.of(copied, single.context.register(copied), single));
  return single.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/** The page at RENDER_DPI (less for a huge page), unrotated and without its annotations (they stay on the page), and the map from its pixels to user space. */
async function render(page: PDFPageProxy): Promise<{ raster: PageRaster; rasterToPage: Matrix }> {
  const { raster, toUserSpace } = await renderPdfPage(page, RENDER_DPI, { unturned: true, withoutAnnotations: true });
  return { raster, rasterToPage: toUserSpace };
}

/**
 * pdf.js's items as OCR lines in the raster's pixel space (y down): an item is a word, placed
 * where pdf.js placed it; items up to an end of line make a line. An item not upright and left to
 * right (rotated, vertical) is a line of its own over its bounding box.
 */
function textLines(items: readonly TextItem[], starts: readonly number[], masked: string, pageToRaster: Matrix): OcrLine[] {
  const lines: OcrLine[] = [];
  let words: Array<OcrWord & { size: number; baseline: number }> = [];
  const close = () => {
    if (words.length === 0) return;
    const box = { x0: Math.min(...words.map((w) => w.box.x0)), y0: Math.min(...words.map((w) => w.box.y0)), x1: Math.max(...words.map((w) => w.box.x1)), y1: Math.max(...words.map((w) => w.box.y1)) };
    const baseline = words[0]!.baseline;
    lines.push({
      box,
      words: words.map(({ text, box: wordBox, confidence }) => ({ text, box: wordBox, confidence })),
      textSize: Math.max(...words.map((w) => w.size)),
      ...(box.x1 > box.x0 ? { baseline: { x0: box.x0, y0: baseline, x1: box.x1, y1: baseline } } : {}),
    });
    words = [];
  };
  items.forEach((item, index) => {
    const raw = masked.slice(starts[index], starts[index]! + item.str.length);
    const text = raw.trim();
    if (text.length > 0) {
      const [a, b, c, d, e, f] = item.transform as number[] as [number, number, number, number, number, number];
      const along = Math.hypot(a, b) || 1;
      const up = Math.hypot(c, d) || 1;
      const height = item.height || up;
      const width = item.width || (0.5 * height * [...text].length);
      // The item's corners on the page: baseline start and end, a descent below, its height above.
      const corners = [
        [e - (0.2 * height * c) / up, f - (0.2 * height * d) / up],
        [e + (width * a) / along - (0.2 * height * c) / up, f + (width * b) / along - (0.2 * height * d) / up],
        [e + (0.8 * height * c) / up, f + (0.8 * height * d) / up],
        [e + (width * a) / along + (0.8 * height * c) / up, f + (width * b) / along + (0.8 * height * d) / up],
      ].map(([x, y]) => apply(pageToRaster, x!, y!));
      const box = { x0: Math.min(...corners.map((p) => p[0])), y0: Math.min(...corners.map((p) => p[1])), x1: Math.max(...corners.map((p) => p[0])), y1: Math.max(...corners.map((p) => p[1])) };
      const scale = Math.hypot(pageToRaster[0], pageToRaster[1]);
      const upright = a > 0 && d > 0 && Math.abs(b) <= 0.01 * a && Math.abs(c) <= 0.01 * d && (pageToRaster[3] < 0);
      const word = { text, box, confidence: 100, size: height * scale, baseline: apply(pageToRaster, e, f)[1] };
      if (upright) {
        words.push(word);
      } else {
        close();
        words.push({ ...word, size: Math.min(box.x1 - box.x0, box.y1 - box.y0), baseline: box.y1 });
        close();
      }
    }
    if (item.hasEOL) close();
  });
  close();
  return lines;
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** The page's content becomes the picture and the invisible text; its resources only what those use. */
async function replaceContent(doc: PDFDocument, leaf: PDFPageLeaf, raster: PageRaster, rasterToPage: Matrix, lines: OcrLine[], font: () => PDFRef): Promise<void> {
  const xobject = await encodePageImage({ kind: 'raster', raster }, { jpegQuality: JPEG_QUALITY });
  const context = doc.context;
  const image = registerImageXObject(context, xobject);
  // The unit square onto the raster's pixels (y down), then onto the page.
  const placement = multiply([raster.width, 0, 0, -raster.height, 0, raster.height], rasterToPage);
  const draw = `q ${placement.map((v) => +v.toFixed(6)).join(' ')} cm /${IMAGE_NAME} Do Q\n`;
  const text = lines.length > 0 ? textLayerOperators(lines, rasterToPage, FONT_NAME) : '';
  leaf.set(PDFName.of('Contents'), context.register(context.flateStream(draw + text)));
  leaf.set(PDFName.of('Resources'), context.obj({ XObject: { [IMAGE_NAME]: image }, ...(lines.length > 0 ? { Font: { [FONT_NAME]: font() } } : {}) }));
}
