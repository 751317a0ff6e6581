/**
 * A page's dark marks, found once per page: each area clearly darker than its paper (40 grey
 * levels under the median), with its size, box and darkest pixel. The clean stage counts them to
 * judge the page (page-condition.ts: specks against letter-sized marks), and a reading is checked
 * against those that may be letters (skipped-text.ts): Tesseract's layout analysis can take a block
 * of text under a coffee ring for a picture and read none of it, sure of what it did read.
 */
import type { Box } from '../../model.js';
import { forEachDarkComponent, percentile, type GreyImage } from './restore.js';

export interface Mark {
  box: Box;
  /** Its darkest grey level: show-through from the back is lighter than the type. */
  darkest: number;
  /** In pixels. */
  size: number;
}

/** Marks of at most this many pixels (at 300 DPI) are specks, as removeSpecks has them. */
const SPECK_AREA_300 = 40;
/** Taller or wider than this (≈ 1.7 cm) is no letter: a ring, a rule, a picture. */
const MAX_SIZE_300 = 200;

/** Every mark of three pixels or more: single pixels and pairs at this threshold are the paper's grain. */
export function darkMarks(image: GreyImage): Mark[] {
  const { data, width } = image;
  const marks: Mark[] = [];
  forEachDarkComponent(data, width, percentile(data, 0.5) - 40, (members, size, darkest) => {
    if (size > 2) marks.push({ box: boxOf(members, size, width), darkest, size });
  });
  return marks;
}

/** The box around the first `size` pixels of `members` (page indices); its far edges one past its last pixels. */
export function boxOf(members: Int32Array, size: number, width: number): Box {
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
  return { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** The marks that may be letters: larger than a speck and under ≈ 1.7 cm across. */
export function letterMarks(marks: readonly Mark[], dpi: number): Mark[] {
  const maxSpeck = Math.max(4, Math.round(SPECK_AREA_300 * (dpi / 300) ** 2));
  const maxSize = MAX_SIZE_300 * (dpi / 300);
  // From first pixel to last under maxSize (a box's far edge is one past its last pixel).
  return marks.filter(({ box, size }) => size > maxSpeck && box.x1 - box.x0 - 1 < maxSize && box.y1 - box.y0 - 1 < maxSize);
}
