/**
 * A page's own type, learnt from the page: typed letters repeat (every "e" of a page in one face is
 * the same shape, to a pixel at its edge) and sit on the lines' baselines; handwriting does neither.
 * The shapes seen at least twice as marks of their own, each with where its bottom sits against its
 * line's baseline, are what handwriting.ts looks for inside marks too large to be a letter.
 */
import { median } from '../../median.js';
import { boxOf } from './dark-marks.js';
import { forEachDarkComponent, type GreyImage } from './restore.js';

/** A connected mark at the page's ink threshold; its box's edges are its first and last pixels. */
export interface InkMark {
  members: Int32Array;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A typed letter's shape as offsets from its box's top left (dy · page width + dx). */
export interface LetterShape {
  width: number;
  height: number;
  /** How far its bottom sits below its line's baseline (descenders, commas) or above it (negative). */
  belowBaseline: number;
  /** Every pixel of it, its inner pixels (the ink a stroke over it cannot take away) and a ring two pixels out. */
  ink: Int32Array;
  core: Int32Array;
  ring: Int32Array;
  /** The ring's pixels just above its top and just below its bottom: where a bar's stroke ends. */
  top: Int32Array;
  bottom: Int32Array;
}

export interface PageType {
  /** Median height of the page's letter-sized marks, in pixels. */
  letterHeight: number;
  /**
   * The lines' baselines, top to bottom, as rows at the page's middle column: where the bottoms of
   * at least MIN_LINE_LETTERS letters meet. A line a little aslant (a fifth of a degree is left
   * when deskewing is not worth it) drifts 4 px over 1,000; `slope` says by how much (baselineRow).
   */
  baselines: number[];
  slope: number;
  /** Largest first. */
  shapes: LetterShape[];
  /** How far the shapes reach above their baseline and below it: a line of type's band. */
  ascent: number;
  descent: number;
}

/** Fewer letters than this resting on a row make no line of type. */
const MIN_LINE_LETTERS = 5;
/** A line tells the page's slant from this many letters resting on its baseline. */
const MIN_SLOPE_LETTERS = 10;
/** Marks of fewer pixels are specks, punctuation or dots: too small to tell type from a pen's dot. */
const MIN_MARK_PIXELS = 40;
/** Two marks are one shape when at most this share of their pixels differs. */
const SAME_SHAPE = 0.15;
/** A shape seen fewer times may be a pen's loop. */
const MIN_SEEN = 2;
/** A shape of less ink than this share of the squared letter height (a dot, a comma) fits inside any stroke. */
const MIN_SHAPE_INK = 0.1;

/** Narrower than this share of its height, a shape is a bar (l, I, 1). */
const BAR = 0.3;

/** A bar fits any straight stroke: a pen's, a rule's. */
export function isBar(shape: Pick<LetterShape, 'width' | 'height'>): boolean {
  return shape.width < BAR * shape.height;
}

export const boxHeight = (mark: InkMark): number => mark.y1 - mark.y0 + 1;
export const boxWidth = (mark: InkMark): number => mark.x1 - mark.x0 + 1;

/** Every mark of at least four pixels darker than `threshold`. */
export function inkMarks(image: GreyImage, threshold: number): InkMark[] {
  const { data, width } = image;
  const marks: InkMark[] = [];
  forEachDarkComponent(data, width, threshold, (members, size) => {
    if (size < 4) return;
    const box = boxOf(members, size, width);
    marks.push({ members: members.slice(0, size), x0: box.x0, y0: box.y0, x1: box.x1 - 1, y1: box.y1 - 1 });
  });
  return marks;
}

/** Taller than two letters or wider than two and a half: a word run together, a pen's stroke, a rule. */
export function tooLargeForALetter(mark: InkMark, letterHeight: number): boolean {
  return boxHeight(mark) > 2 * letterHeight || boxWidth(mark) > 2.5 * letterHeight;
}

export function pageType(marks: readonly InkMark[], width: number, height: number): PageType {
  const sized = marks.filter((m) => m.members.length >= MIN_MARK_PIXELS);
  const letterHeight = sized.length > 0 ? median(sized.map(boxHeight)) : 0;
  const letters = sized.filter((m) => !tooLargeForALetter(m, letterHeight) && boxHeight(m) >= letterHeight / 2);
  const slope = lineSlope(letters, findBaselines(letters.map((m) => m.y1), height));
  const level = (mark: InkMark) => levelOf(slope, (mark.x0 + mark.x1) / 2, mark.y1, width);
  const baselines = findBaselines(letters.map((m) => Math.round(level(m))), height);
  const shapes: (LetterShape & { bitmap: Uint8Array; seen: number })[] = [];
  for (const mark of letters) {
    const baseline = lineOf(level(mark), mark, baselines, letterHeight);
    if (baseline === null) continue;
    const bitmap = bitmapOf(mark, width);
    const belowBaseline = Math.round(level(mark) - baseline);
    const same = shapes.find((s) => Math.abs(s.belowBaseline - belowBaseline) <= 2 && sameShape(s, bitmap, boxWidth(mark), boxHeight(mark)));
    if (same) same.seen++;
    else shapes.push({ ...outline(bitmap, boxWidth(mark), boxHeight(mark), width), belowBaseline, bitmap, seen: 1 });
  }
  const repeated = shapes.filter((s) => s.seen >= MIN_SEEN && s.ink.length >= MIN_SHAPE_INK * letterHeight ** 2 && s.core.length >= 8);
  repeated.sort((a, b) => b.core.length - a.core.length);
  const ascent = Math.max(0, ...repeated.map((s) => s.height - 1 - s.belowBaseline));
  const descent = Math.max(0, ...repeated.map((s) => s.belowBaseline));
  return { letterHeight, baselines, slope, shapes: repeated.map(({ bitmap: _b, seen: _s, ...shape }) => shape), ascent, descent };
}

/** The row of a baseline (as PageType has it) at column `x` of a page `width` wide. */
export function baselineRow(type: Pick<PageType, 'slope'>, baseline: number, x: number, width: number): number {
  return baseline + type.slope * (x - width / 2);
}

/** Row `y` at column `x` with the lines' slant taken out: as a baseline is given, at the page's middle column. */
export function levelOf(slope: number, x: number, y: number, width: number): number {
  return y - slope * (x - width / 2);
}

/** Rows where many of the given bottoms meet (a peak of at least MIN_LINE_LETTERS within ±2 rows). */
function findBaselines(bottoms: readonly number[], height: number): number[] {
  const count = new Uint32Array(height);
  for (const y of bottoms) if (y >= 0 && y < height) count[y]!++;
  const near = (y: number) => {
    let sum = 0;
    for (let d = -2; d <= 2; d++) sum += count[y + d] ?? 0;
    return sum;
  };
  const baselines: number[] = [];
  for (let y = 0; y < height; y++) {
    const here = near(y);
    if (here < MIN_LINE_LETTERS) continue;
    let peak = true;
    for (let d = -6; d <= 6 && peak; d++) if (d !== 0 && (near(y + d) > here || (near(y + d) === here && d < 0))) peak = false;
    if (peak) baselines.push(y);
  }
  return baselines;
}

/**
 * Rows the lines fall per column: the median over lines of at least MIN_SLOPE_LETTERS letters of the
 * least-squares slope of the bottoms resting near its baseline (descenders left out).
 */
function lineSlope(letters: readonly InkMark[], baselines: readonly number[]): number {
  const slopes: number[] = [];
  for (const baseline of baselines) {
    const resting = letters.filter((m) => Math.abs(m.y1 - baseline) <= 4);
    if (resting.length < MIN_SLOPE_LETTERS) continue;
    const xs = resting.map((m) => (m.x0 + m.x1) / 2);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = resting.reduce((a, m) => a + m.y1, 0) / resting.length;
    let sxy = 0;
    let sxx = 0;
    resting.forEach((m, i) => {
      sxy += (xs[i]! - mx) * (m.y1 - my);
      sxx += (xs[i]! - mx) ** 2;
    });
    if (sxx > 0) slopes.push(sxy / sxx);
  }
  return slopes.length > 0 ? median(slopes) : 0;
}

/** The baseline a letter (its bottom at `level`, slant taken out) rests on or hangs from (a descender reaches below it), if any. */
function lineOf(level: number, mark: InkMark, baselines: readonly number[], letterHeight: number): number | null {
  let best: number | null = null;
  const top = level - (mark.y1 - mark.y0);
  for (const baseline of baselines) {
    if (baseline < top || level - baseline > 0.6 * letterHeight || baseline - level > 0.8 * letterHeight) continue;
    if (best === null || Math.abs(level - baseline) < Math.abs(level - best)) best = baseline;
  }
  return best;
}

function bitmapOf(mark: InkMark, pageWidth: number): Uint8Array {
  const w = boxWidth(mark);
  const bitmap = new Uint8Array(w * boxHeight(mark));
  for (let k = 0; k < mark.members.length; k++) {
    const x = mark.members[k]! % pageWidth;
    const y = (mark.members[k]! - x) / pageWidth;
    bitmap[(y - mark.y0) * w + x - mark.x0] = 1;
  }
  return bitmap;
}

/** At most SAME_SHAPE of their pixels differ, the one laid on the other as well as it goes within a pixel (type lands on the grid at fractions of one). */
function sameShape(shape: LetterShape & { bitmap: Uint8Array }, bitmap: Uint8Array, w: number, h: number): boolean {
  if (Math.abs(shape.width - w) > 1 || Math.abs(shape.height - h) > 1) return false;
  const a = (x: number, y: number) => (x >= 0 && y >= 0 && x < shape.width && y < shape.height ? shape.bitmap[y * shape.width + x]! : 0);
  const b = (x: number, y: number) => (x >= 0 && y >= 0 && x < w && y < h ? bitmap[y * w + x]! : 0);
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      let differ = 0;
      let either = 0;
      for (let y = Math.min(0, dy); y < Math.max(h, shape.height + dy); y++) {
        for (let x = Math.min(0, dx); x < Math.max(w, shape.width + dx); x++) {
          const p = a(x - dx, y - dy);
          const q = b(x, y);
          if (p || q) either++;
          if (p !== q) differ++;
        }
      }
      if (differ <= SAME_SHAPE * either) return true;
    }
  }
  return false;
}

/** The shape's pixels, inner pixels and outer ring as page offsets. */
function outline(bitmap: Uint8Array, w: number, h: number, pageWidth: number): Omit<LetterShape, 'belowBaseline'> {
  const at = (x: number, y: number) => (x >= 0 && y >= 0 && x < w && y < h ? bitmap[y * w + x]! : 0);
  const ink: number[] = [];
  const core: number[] = [];
  const ring: number[] = [];
  const top: number[] = [];
  const bottom: number[] = [];
  for (let y = -2; y < h + 2; y++) {
    for (let x = -2; x < w + 2; x++) {
      const offset = y * pageWidth + x;
      if (at(x, y)) {
        ink.push(offset);
        if (at(x - 1, y) && at(x + 1, y) && at(x, y - 1) && at(x, y + 1)) core.push(offset);
        continue;
      }
      let touching = false;
      let near = false;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          if (!at(x + dx, y + dy)) continue;
          if (Math.abs(dx) <= 1 && Math.abs(dy) <= 1) touching = true;
          else near = true;
        }
      }
      if (near && !touching) {
        ring.push(offset);
        if (y === -2) top.push(offset);
        if (y === h + 1) bottom.push(offset);
      }
    }
  }
  return { width: w, height: h, ink: Int32Array.from(ink), core: Int32Array.from(core), ring: Int32Array.from(ring), top: Int32Array.from(top), bottom: Int32Array.from(bottom) };
}
