/**
 * A page's text as pdf.js reads it (what a viewer selects and an extractor gets), with where each
 * character lies on the page as shown: what redaction proposes boxes from, and what it checks
 * the text layer against.
 *
 * Characters are placed evenly along their item's width: exact for Acervo's glyphless layer
 * (every glyph has the same advance, stretched with Tz to its word), close for other fonts.
 */
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { apply, multiply } from '../geometry.js';
import type { Matrix } from '../model.js';
import { pageText } from '../pdf/pdfjs-text-lines.js';
import type { PageBox } from './page-box.js';

export interface PageReading {
  /** The page as shown (turned, cropped), in points. */
  width: number;
  height: number;
  /** pdf.js's text items, in user space. */
  items: TextItem[];
  /** The items joined as an extractor reads them (a line break after an item that ends a line). */
  text: string;
  /** Where each item starts in `text`. */
  starts: number[];
  /** User space onto the page as shown, in points, y down. */
  toView: Matrix;
}

/** Below the baseline and above it, as parts of the item's height: descenders and accents included. */
const DESCENT = 0.25;
const ASCENT = 0.9;

export async function readPage(page: PDFPageProxy): Promise<PageReading> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const items = content.items.filter((item): item is TextItem => 'str' in item);
  const { text, starts } = pageText(items);
  return { width: viewport.width, height: viewport.height, items, text, starts, toView: viewport.transform as unknown as Matrix };
}

/** The geometry of an item: its origin on the baseline, the unit vectors along and up, its width and height (user space). */
export function itemFrame(item: TextItem): { e: number; f: number; along: [number, number]; up: [number, number]; width: number; height: number } {
  const [a, b, c, d, e, f] = item.transform as unknown as Matrix;
  const alongLength = Math.hypot(a, b) || 1;
  const upLength = Math.hypot(c, d) || 1;
  const height = item.height || upLength;
  const width = item.width || 0.5 * height * Math.max(1, item.str.length);
  return { e, f, along: [a / alongLength, b / alongLength], up: [c / upLength, d / upLength], width, height };
}

/** Characters [from, to) of item `index`, as a box on the page as shown (fractions). */
export function charactersBox(reading: PageReading, index: number, from: number, to: number): PageBox {
  const item = reading.items[index]!;
  const { e, f, along, up, width, height } = itemFrame(item);
  const count = Math.max(1, item.str.length);
  const start = (width * from) / count;
  const end = (width * to) / count;
  const corners: Array<[number, number]> = [];
  for (const s of [start, end]) {
    for (const h of [-DESCENT * height, ASCENT * height]) {
      corners.push(apply(reading.toView, e + s * along[0] + h * up[0], f + s * along[1] + h * up[1]));
    }
  }
  const xs = corners.map((p) => p[0] / reading.width);
  const ys = corners.map((p) => p[1] / reading.height);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** The items' transforms onto a page the size of the shown page, y up: the frame of a page drawn turned. */
export function shownPageTransform(reading: PageReading): Matrix {
  return multiply(reading.toView, [1, 0, 0, -1, 0, reading.height]);
}
