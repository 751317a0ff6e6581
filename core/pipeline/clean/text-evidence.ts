/**
 * Whether a page's ink holds lines of text: only text tells which way up a page is and how far
 * it leans. A signature, a stamp or a drawing alone gives no such thing, and turning or
 * "straightening" a page by them spoils it (a signature turned 90°, a crooked stamp set level
 * and the page with it). Evidence: many letter- or word-sized marks whose centres fall into sharp
 * rows, across or down the page, at some angle within the skew range: typed lines, and handwritten
 * ones (a joined word is one mark).
 */
import { ANALYSIS_DPI, type InkMap } from './ink.js';
import { patches } from './ink-patches.js';
import { MAX_SKEW_DEGREES } from './skew.js';

const PX_PER_MM = ANALYSIS_DPI / 25.4;
/** Letters of type, and joined handwritten words: 1.2–7 mm tall, up to 60 mm long. */
const LETTER = { minH: 1.2, maxH: 7, maxW: 60 };
/** Fewer letter-sized marks than this in rows (a signature's dots and loops, a stamp's two short lines) are no lines of text. */
const MIN_LETTERS = 40;
/** A letter is in a row when this many letter centres (itself included) lie within about 5 px of its line at 100 DPI. */
const ROW_LETTERS = 5;
/** Share of the letter-sized marks that must stand in rows: most, on a page of text; few, on circular or scattered marks. */
const MIN_ALIGNED = 0.3;
const BAND_PX = 3;

export function hasTextLines(map: InkMap): boolean {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of patches(map)) {
    const h = (p.y1 - p.y0 + 1) / PX_PER_MM;
    const w = (p.x1 - p.x0 + 1) / PX_PER_MM;
    // Either way round: a sideways page's letters are as letter-sized.
    if (Math.max(w, h) < LETTER.minH || Math.max(w, h) > LETTER.maxW || Math.min(w, h) > LETTER.maxH) continue;
    xs.push((p.x0 + p.x1) / 2);
    ys.push((p.y0 + p.y1) / 2);
  }
  if (xs.length < MIN_LETTERS) return false;
  let best = 0;
  for (let degrees = -MAX_SKEW_DEGREES; degrees <= MAX_SKEW_DEGREES; degrees += 0.25) {
    best = Math.max(best, inRows(xs, ys, degrees, map.width), inRows(ys, xs, degrees, map.height));
  }
  return best >= MIN_LETTERS && best >= MIN_ALIGNED * xs.length;
}

/** Letter centres standing in rows when the rows run at `degrees` (along xs). */
function inRows(xs: number[], ys: number[], degrees: number, span: number): number {
  const slope = Math.tan((degrees * Math.PI) / 180);
  const offset = Math.abs(span * slope) + 2;
  const bands = new Map<number, number>();
  const bandOf = xs.map((x, i) => Math.floor((ys[i]! - x * slope + offset) / BAND_PX));
  for (const b of bandOf) bands.set(b, (bands.get(b) ?? 0) + 1);
  let aligned = 0;
  for (const b of bandOf) {
    const here = bands.get(b)!;
    if (Math.max(here + (bands.get(b - 1) ?? 0), here + (bands.get(b + 1) ?? 0)) >= ROW_LETTERS) aligned++;
  }
  return aligned;
}
