/**
 * Blank pages: separator sheets and empty backs. A page is blank when almost no ink is left
 * once the borders and what paper and scanner add are set aside (edge-artefacts.ts: punch holes
 * scanned dark or as dark rings, staple shadows, scanner-edge shadows).
 *
 * The bar is low on purpose: calling a page with text blank loses that text (it is not OCRed),
 * while missing a blank page only costs a few seconds of OCR. One short typed line at 100 DPI
 * is about 0.07% of an A4 page; the bar is 0.02%. A page blank here whose faint marks form lines
 * is still read (clean-page.ts), and show-through as dark as type is told by reading
 * (show-through.ts).
 */
import { edgeArtefacts } from './edge-artefacts.js';
import type { InkMap } from './ink.js';

const BORDER = 0.06;
export const BLANK_INK_FRACTION = 0.0002;

/** Share of the page inside the borders that is ink; with `artefacts`, those of paper and scanner left out. */
export function inkFraction(map: InkMap, artefacts = false): number {
  const artefact = artefacts ? edgeArtefacts(map) : null;
  const x0 = Math.floor(map.width * BORDER);
  const x1 = Math.ceil(map.width * (1 - BORDER));
  const y0 = Math.floor(map.height * BORDER);
  const y1 = Math.ceil(map.height * (1 - BORDER));
  let ink = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * map.width;
    for (let x = x0; x < x1; x++) if (map.ink[row + x] && !artefact?.[row + x]) ink++;
  }
  return ink / Math.max(1, (x1 - x0) * (y1 - y0));
}

/** Above this share of ink a page is not blank, whatever its edges hold (holes and staples are far less). */
const CLEARLY_INKED = 0.02;

export function isBlank(map: InkMap): boolean {
  const plain = inkFraction(map);
  if (plain < BLANK_INK_FRACTION) return true;
  return plain < CLEARLY_INKED && inkFraction(map, true) < BLANK_INK_FRACTION;
}
