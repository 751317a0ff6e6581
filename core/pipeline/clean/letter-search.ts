/**
 * Where the page's own letters (typed-letters.ts) lie inside a mark too large to be one: each shape
 * is tried at every place along the lines' baselines that cross the mark, and kept where its inner
 * pixels are all ink and the paper around it mostly clear (a stroke over a letter adds ink; it
 * takes none away). The surest and largest win; none lies inside another.
 */
import { baselineRow, isBar, type InkMark, type LetterShape, type PageType } from './typed-letters.js';

/** A letter is found where at least this share of its inner pixels is ink... */
const CORE_INKED = 0.95;
/** ...and at least this share of the ring around it is paper (a stroke may cross it, a solid blot may not). */
const RING_CLEAR = 0.5;
/** A bar is found only where this share of the pixels beyond one of its ends is paper: a typed bar ends, a pen's stroke goes on. */
const BAR_END_CLEAR = 0.8;
/** A letter is looked for only where this share of its inner pixels is the mark's own (not a letter of the next line beside it). */
const PART_OF_MARK = 0.5;
/** A found letter may share this much of its inner pixels with a surer one found before it. */
const OVERLAP = 0.1;
/** Rows a letter may sit above or below its line's baseline as found. */
const BASELINE_SHIFT = 4;
/** A mark holds a line of type where at least this many letters other than bars are found in it on one line. */
const MIN_LETTERS = 2;

export interface FoundLetter {
  shape: LetterShape;
  /** Page index of the shape's box's top left. */
  at: number;
  score: number;
  baseline: number;
}

/** The page at the ink threshold, with a scratch layer for the mark searched. */
export interface SearchedPage {
  type: PageType;
  width: number;
  height: number;
  ink: Uint8Array;
  inMark: Uint8Array;
}

export function lettersIn(mark: InkMark, page: SearchedPage): FoundLetter[] {
  const { type, width, height, ink, inMark } = page;
  for (let k = 0; k < mark.members.length; k++) inMark[mark.members[k]!] = 1;
  const found: FoundLetter[] = [];
  for (const baseline of type.baselines) {
    const row = (x: number) => Math.round(baselineRow(type, baseline, x, width));
    if (row(mark.x1) < mark.y0 - type.letterHeight && row(mark.x0) < mark.y0 - type.letterHeight) continue;
    if (row(mark.x1) > mark.y1 + type.letterHeight && row(mark.x0) > mark.y1 + type.letterHeight) continue;
    for (const shape of type.shapes) {
      for (let x = Math.max(2, mark.x0 - shape.width + 1); x <= mark.x1 && x + shape.width + 2 <= width; x++) {
        const bottom = row(x + shape.width / 2) + shape.belowBaseline;
        for (let shift = -BASELINE_SHIFT; shift <= BASELINE_SHIFT; shift++) {
          const top = bottom - shape.height + 1 + shift;
          if (top + shape.height <= mark.y0 || top > mark.y1 || top < 2 || top + shape.height + 2 > height) continue;
          const at = top * width + x;
          const score = fit(shape, at, ink);
          if (score !== null && share(shape.core, at, inMark, 1) >= PART_OF_MARK) found.push({ shape, at, score, baseline });
        }
      }
    }
  }
  for (let k = 0; k < mark.members.length; k++) inMark[mark.members[k]!] = 0;
  found.sort((a, b) => b.score - a.score);
  const claimed = new Set<number>();
  const letters: FoundLetter[] = [];
  for (const candidate of found) {
    let shared = 0;
    for (const offset of candidate.shape.core) if (claimed.has(candidate.at + offset)) shared++;
    if (shared > OVERLAP * candidate.shape.core.length) continue;
    letters.push(candidate);
    for (const offset of candidate.shape.core) claimed.add(candidate.at + offset);
  }
  return letters;
}

/**
 * Type in a mark is letters side by side on a line. A bar (l, I, 1) fits any straight stroke, and
 * a rule or the sheet's edge crossing the lines meets one letter-like bit of ink on each.
 */
export function holdsALineOfType(letters: readonly FoundLetter[]): boolean {
  const onLine = new Map<number, number>();
  for (const { shape, baseline } of letters) if (!isBar(shape)) onLine.set(baseline, (onLine.get(baseline) ?? 0) + 1);
  return Math.max(0, ...onLine.values()) >= MIN_LETTERS;
}

/** How well the shape fits the ink at `at`: null unless its inner pixels are inked and its ring mostly clear. */
function fit(shape: LetterShape, at: number, ink: Uint8Array): number | null {
  const allowed = Math.floor((1 - CORE_INKED) * shape.core.length);
  let missing = 0;
  for (const offset of shape.core) if (!ink[at + offset] && ++missing > allowed) return null;
  const clear = share(shape.ring, at, ink, 0);
  if (clear < RING_CLEAR) return null;
  if (isBar(shape) && share(shape.top, at, ink, 0) < BAR_END_CLEAR && share(shape.bottom, at, ink, 0) < BAR_END_CLEAR) return null;
  return shape.core.length - missing + (clear * shape.ring.length) / 2;
}

/** Share of the offsets from `at` where `layer` holds `value` (1 for none). */
function share(offsets: Int32Array, at: number, layer: Uint8Array, value: number): number {
  let count = 0;
  for (const offset of offsets) if (layer[at + offset] === value) count++;
  return offsets.length > 0 ? count / offsets.length : 1;
}
