/** Moves an OCR result from the image the engine read into another pixel space. */
import { apply } from '../geometry.js';
import type { Box, Matrix, OcrLine, OcrPage } from '../model.js';

function mapBox(box: Box, m: Matrix): Box {
  const [ax, ay] = apply(m, box.x0, box.y0);
  const [bx, by] = apply(m, box.x1, box.y1);
  return { x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) };
}

function mapSegment(segment: NonNullable<OcrLine['baseline']>, m: Matrix): NonNullable<OcrLine['baseline']> {
  const [x0, y0] = apply(m, segment.x0, segment.y0);
  const [x1, y1] = apply(m, segment.x1, segment.y1);
  return { x0, y0, x1, y1 };
}

export function mapOcrPage(page: OcrPage, m: Matrix): OcrPage {
  return {
    ...page,
    lines: page.lines.map((line) => ({
      box: mapBox(line.box, m),
      words: line.words.map((word) => ({ ...word, box: mapBox(word.box, m) })),
      ...(line.textSize !== undefined ? { textSize: line.textSize * Math.hypot(m[2], m[3]) } : {}),
      ...(line.baseline ? { baseline: mapSegment(line.baseline, m) } : {}),
    })),
  };
}
