/**
 * The text pdf.js reads on a page, as the OCR lines Acervo's invisible text layer is written from
 * (text-layer.ts): for a page drawn anew as a picture of itself with a glyphless layer
 * (core/redaction/burned-page.ts).
 */
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { apply } from '../geometry.js';
import type { Matrix, OcrLine, OcrWord } from '../model.js';

/** The page as pdf.js reads it: its text, items in reading order. */
export function pageText(items: readonly TextItem[]): { text: string; starts: number[] } {
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
 * pdf.js's items as OCR lines in the raster's pixel space (y down): an item is a word, placed
 * where pdf.js placed it; items up to an end of line make a line. An item not upright and left to
 * right (rotated, vertical) is a line of its own over its bounding box.
 */
export function textLines(items: readonly TextItem[], starts: readonly number[], masked: string, pageToRaster: Matrix): OcrLine[] {
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
