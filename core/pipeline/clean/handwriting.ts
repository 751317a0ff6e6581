/**
 * A note written in pen across typed lines, in the type's own black: colour cannot take it out
 * (ink-colour.ts), and its strokes are as wide as the type's. Where it crosses a line, pen and
 * letters are one mark, and Tesseract reads the mess ("y a retirar el mobiliario a las" →
 * "ya priraellmas ag"). But typed letters repeat and rest on the lines' baselines; handwriting
 * does neither. So inside every mark too large to be a letter, the page's own letters
 * (typed-letters.ts) are looked for on the baselines (letter-search.ts); where a line of them is
 * found and what they leave reaches off the line, the page has handwriting across its lines, and
 * what no letter explains is taken out of every such mark. Then the same pen off the lines: words
 * between them and initials below, marks no line of type holds, and the bits of the pen the ink
 * threshold cut off its strokes.
 *
 * Left alone: a page where no mark holds a line of type that a stroke leaves (letters run together
 * on a dark copy stay within their line), marks with ink deep inside them (a picture, a blot, bold
 * type), the dark around the sheet, a heading's large letters side by side.
 *
 * Measured (`npm run bench -- --hard-pages-only`, bench/pen-pages.ts) on the hard pages' heavy
 * stamps and note over four texts, characters wrong with the pen → the same page drawn without
 * it: the solicitud 1.85 → 0.18 % (6.27 % before, its stamps out and its pen read), a decreto
 * 1.37 → 0.11 %, a requerimento in serif type 5.37 → 2.11 %, a portaria 3.32 → 1.44 %.
 */
import { holdsALineOfType, lettersIn, type FoundLetter, type SearchedPage } from './letter-search.js';
import { inkLevel, percentile, type GreyImage } from './restore.js';
import { inkMarks, levelOf, pageType, tooLargeForALetter, type InkMark, type PageType } from './typed-letters.js';

/** What the letters leave of a mark reaches off the line by this many pixels per squared letter height: a pen's stroke. */
const OFF_LINE = 0.5;
/** Off the lines, a mark of this many pixels per squared letter height is no accent or dot but a pen's word. */
const PEN_WORD = 0.5;
/** A mark with more of its ink this deep inside it (a sixth of a letter's height from the paper) is no pen's. */
const DEEP_INK = 0.03;

export interface HandwritingDropped {
  image: GreyImage;
  /** Marks of handwriting across the lines taken apart: none, and the page was left as it was. */
  crossedLines: number;
}

export function dropHandwriting(image: GreyImage): HandwritingDropped {
  const { data, width, height } = image;
  const paper = percentile(data, 0.5);
  const threshold = Math.round((paper + inkLevel(image, 0.1)) / 2);
  const marks = inkMarks(image, threshold);
  const type = pageType(marks, width, height);
  const out = new Uint8Array(data);
  if (type.shapes.length === 0) return { image: { data: out, width, height }, crossedLines: 0 };
  const page: SearchedPage = { type, width, height, ink: new Uint8Array(data.length), inMark: new Uint8Array(data.length) };
  for (let i = 0; i < data.length; i++) page.ink[i] = data[i]! < threshold ? 1 : 0;
  const level = (x: number, y: number) => levelOf(type.slope, x, y, width);
  const inBand = lineBands(type, height);
  const onLineBand = (p: number) => inBand[Math.round(level(p % width, Math.floor(p / width)))] === 1;
  // The found letters' pixels with a pixel's margin: never taken out.
  const typed = new Uint8Array(data.length);
  const keep = (letters: readonly FoundLetter[]) => {
    for (const { shape, at } of letters) for (const offset of shape.ink) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) typed[at + offset + dy * width + dx] = 1;
  };
  const taken = new Uint8Array(data.length);
  const takeOut = (mark: InkMark) => {
    for (const p of mark.members) {
      if (typed[p]) continue;
      // The pixel and its soft edge, where no letter is.
      const x = p % width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const q = p + dy * width + dx;
          if (x + dx < 0 || x + dx >= width || q < 0 || q >= data.length || typed[q]) continue;
          out[q] = paper;
          taken[q] = 1;
        }
      }
    }
  };

  const depth = Math.max(2, Math.round(type.letterHeight / 6));
  const strokes = (mark: InkMark) => deepShare(mark, page.ink, width, depth) < DEEP_INK;
  const large = marks.filter((mark) => tooLargeForALetter(mark, type.letterHeight) && !aroundTheText(mark, width, height) && strokes(mark));
  const withType = large.filter((mark) => {
    const letters = lettersIn(mark, page);
    if (!holdsALineOfType(letters)) return false;
    keep(letters);
    return true;
  });
  const offLine = (mark: InkMark) => mark.members.reduce((count, p) => count + (typed[p] || onLineBand(p) ? 0 : 1), 0);
  if (!withType.some((mark) => offLine(mark) >= OFF_LINE * type.letterHeight ** 2)) return { image: { data: out, width, height }, crossedLines: 0 };
  for (const mark of withType) takeOut(mark);

  const sized = marks.filter((mark) => !tooLargeForALetter(mark, type.letterHeight) && mark.y1 - mark.y0 + 1 >= type.letterHeight / 2);
  const ofLargeType = linesOfLargeType(large, level);
  const crossing = new Set(withType);
  for (const mark of marks) {
    if (crossing.has(mark) || aroundTheText(mark, width, height) || mark.members.length < PEN_WORD * type.letterHeight ** 2 || !strokes(mark)) continue;
    const isType = tooLargeForALetter(mark, type.letterHeight) ? ofLargeType.has(mark) || lettersIn(mark, page).length > 0 : onALine(mark, sized, type, level);
    if (!isType) takeOut(mark);
  }
  for (const mark of marks) {
    if (tooLargeForALetter(mark, type.letterHeight) || !beside(mark, taken, width)) continue;
    const letters = lettersIn(mark, page);
    if (letters.length > 0) keep(letters);
    else takeOut(mark);
  }
  return { image: { data: out, width, height }, crossedLines: withType.length };
}

/** Levels (rows with the slant taken out) from the tops of a line's letters to its descenders. */
function lineBands(type: PageType, height: number): Uint8Array {
  const inBand = new Uint8Array(height);
  for (const baseline of type.baselines) {
    for (let y = Math.max(0, baseline - type.ascent - 2); y <= Math.min(height - 1, baseline + type.descent + 2); y++) inBand[y] = 1;
  }
  return inBand;
}

/**
 * The dark around the sheet, a copier's border or the sheet's outline in a photograph: marks that
 * reach the image's edge or run down a third of it. A note across the lines spans a few of them.
 */
function aroundTheText(mark: InkMark, width: number, height: number): boolean {
  return mark.x0 === 0 || mark.y0 === 0 || mark.x1 === width - 1 || mark.y1 === height - 1 || mark.y1 - mark.y0 + 1 > height / 3;
}

/** Large marks whose bottoms meet those of at least two others of about their height: a heading's large letters. */
function linesOfLargeType(large: readonly InkMark[], level: (x: number, y: number) => number): Set<InkMark> {
  const bottom = (mark: InkMark) => level((mark.x0 + mark.x1) / 2, mark.y1);
  const inLine = new Set<InkMark>();
  for (const mark of large) {
    const h = mark.y1 - mark.y0 + 1;
    const besideIt = large.filter((other) => other !== mark && Math.abs(bottom(other) - bottom(mark)) <= 3 && Math.abs(other.y1 - other.y0 + 1 - h) <= 0.3 * h);
    if (besideIt.length >= 2) inLine.add(mark);
  }
  return inLine;
}

/**
 * Whether a mark rests on a line's baseline or hangs from it as far as a descender goes, or rests
 * level with a letter-sized mark beside it (a line too short to have a baseline found: "S/D", "1991.").
 */
function onALine(mark: InkMark, others: readonly InkMark[], type: PageType, level: (x: number, y: number) => number): boolean {
  const bottom = (m: InkMark) => level((m.x0 + m.x1) / 2, m.y1);
  const own = bottom(mark);
  if (type.baselines.some((baseline) => own >= baseline - 3 && own <= baseline + type.descent + 3)) return true;
  const reach = 2 * type.letterHeight;
  return others.some((other) => other !== mark && Math.abs(bottom(other) - own) <= 2 && other.x0 <= mark.x1 + reach && other.x1 >= mark.x0 - reach);
}

/** Whether a mark lies within two pixels of what was taken out. */
function beside(mark: InkMark, taken: Uint8Array, width: number): boolean {
  for (const p of mark.members) for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (taken[p + dy * width + dx]) return true;
  return false;
}

/** Share of a mark's pixels with ink all around them for `radius` pixels: a blot or a picture, not strokes. */
function deepShare(mark: InkMark, ink: Uint8Array, width: number, radius: number): number {
  let deep = 0;
  for (const p of mark.members) {
    let all = true;
    for (let dy = -radius; dy <= radius && all; dy++) for (let dx = -radius; dx <= radius && all; dx++) if (!ink[p + dy * width + dx]) all = false;
    if (all) deep++;
  }
  return deep / mark.members.length;
}
