/**
 * Skew: the angle the text lines make with the horizontal, by projection profiles. Sheared by
 * the right angle, a page's ink falls into sharp rows (text lines) and gaps, and the sum of the
 * squared row counts peaks. Coarse search over ±MAX_SKEW, then a fine one around the best.
 *
 * Returns degrees, positive when the lines run down to the right (the content is turned
 * clockwise): rotating the image by minus that angle straightens it.
 */
import type { InkMap } from './ink.js';

export const MAX_SKEW_DEGREES = 10;
const COARSE_STEP = 0.25;
const FINE_STEP = 0.02;
/** Fewer ink pixels than this (a nearly empty page) cannot show an angle. */
const MIN_INK_PIXELS = 200;

export function measureSkew(map: InkMap): number {
  if (map.inkPixels < MIN_INK_PIXELS) return 0;
  const profile = rowProfile(inkPoints(map), map.height, map.width);
  const coarse = profile.best(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, COARSE_STEP);
  const fine = profile.best(coarse.degrees - COARSE_STEP, coarse.degrees + COARSE_STEP, FINE_STEP);
  return Math.round(fine.degrees * 100) / 100;
}

/** The ink pixels' coordinates. */
export interface InkPoints {
  xs: Int32Array;
  ys: Int32Array;
}

export function inkPoints(map: InkMap): InkPoints {
  const xs = new Int32Array(map.inkPixels);
  const ys = new Int32Array(map.inkPixels);
  let n = 0;
  for (let y = 0; y < map.height; y++) {
    const row = y * map.width;
    for (let x = 0; x < map.width; x++) {
      if (map.ink[row + x]) {
        xs[n] = x;
        ys[n] = y;
        n++;
      }
    }
  }
  return { xs, ys };
}

/**
 * How the ink falls into rows when sheared by an angle. `concentration` is the sum of squared
 * row counts against what ink spread evenly over the rows would give: about 1 for ink with no
 * rows, 3–8 for a page of text lines at their angle.
 */
export function rowProfile(points: InkPoints, height: number, width: number) {
  const { xs, ys } = points;
  const n = xs.length;
  const rows = new Float64Array(height + 2 * Math.ceil(width * Math.tan((MAX_SKEW_DEGREES * Math.PI) / 180)) + 4);
  const offset = (rows.length - height) / 2;
  const concentration = (degrees: number): number => {
    rows.fill(0);
    const slope = Math.tan((degrees * Math.PI) / 180);
    for (let i = 0; i < n; i++) rows[Math.round(ys[i]! - xs[i]! * slope + offset)]! += 1;
    let sum = 0;
    for (const count of rows) sum += count * count;
    return (sum * height) / Math.max(1, n * n);
  };
  return {
    /** The angle in [from, to] (by `step`) at which the rows are sharpest. */
    best(from: number, to: number, step: number): { degrees: number; concentration: number } {
      let best = { degrees: 0, concentration: -1 };
      for (let a = from; a <= to + 1e-9; a += step) {
        const c = concentration(a);
        if (c > best.concentration) best = { degrees: a, concentration: c };
      }
      return best;
    },
  };
}
