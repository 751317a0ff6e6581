/**
 * The marks on a page that may be letters, from its pixels alone: every dark mark larger than a
 * speck and under ≈ 1.7 cm across, with its box and darkest pixel. What the engine
 * read is checked against them (skipped-text.ts): Tesseract's layout analysis can take a block of
 * text under a coffee ring for a picture and read none of it, and still be sure of what it did read.
 */
import type { Box } from '../../model.js';
import { forEachDarkComponent, percentile, type GreyImage } from './restore.js';

export interface Mark {
  box: Box;
  /** Its darkest grey level: show-through from the back is lighter than the type. */
  darkest: number;
}

/** Marks of at most this many pixels (at 300 DPI) are specks, as removeSpecks has them. */
const SPECK_AREA_300 = 40;
/** Taller or wider than this (≈ 1.7 cm) is no letter: a ring, a rule, a picture. */
const MAX_SIZE_300 = 200;

export function letterMarks(image: GreyImage, dpi: number): Mark[] {
  const { data, width } = image;
  const maxSpeck = Math.max(4, Math.round(SPECK_AREA_300 * (dpi / 300) ** 2));
  const maxSize = MAX_SIZE_300 * (dpi / 300);
  const marks: Mark[] = [];
  forEachDarkComponent(data, width, percentile(data, 0.5) - 40, (members, size, darkest) => {
    if (size <= maxSpeck) return;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let k = 0; k < size; k++) {
      const x = members[k]! % width;
      const y = (members[k]! - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    if (x1 - x0 < maxSize && y1 - y0 < maxSize) marks.push({ box: { x0, y0, x1: x1 + 1, y1: y1 + 1 }, darkest });
  });
  return marks;
}
