/**
 * Blank pages: separator sheets and empty backs. A page is blank when almost no ink is left
 * once the borders (where scanners leave dark edges and punch holes) are set aside.
 *
 * The bar is low on purpose: calling a page with text blank loses that text (it is not OCRed),
 * while missing a blank page only costs a few seconds of OCR. One short typed line at 100 DPI
 * is about 0.07% of an A4 page; the bar is 0.02%.
 */
import type { InkMap } from './ink.js';

const BORDER = 0.06;
export const BLANK_INK_FRACTION = 0.0002;

export function inkFraction(map: InkMap): number {
  const x0 = Math.floor(map.width * BORDER);
  const x1 = Math.ceil(map.width * (1 - BORDER));
  const y0 = Math.floor(map.height * BORDER);
  const y1 = Math.ceil(map.height * (1 - BORDER));
  let ink = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * map.width;
    for (let x = x0; x < x1; x++) ink += map.ink[row + x]!;
  }
  return ink / Math.max(1, (x1 - x0) * (y1 - y0));
}

export function isBlank(map: InkMap): boolean {
  return inkFraction(map) < BLANK_INK_FRACTION;
}
