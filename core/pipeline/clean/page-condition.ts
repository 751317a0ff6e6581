/**
 * What a page needs before it is read, decided from the page itself as a conservator would look
 * at it: specks scattered between the lines, paper that is not evenly lit, ink too faint, ink of
 * a colour (a carbon or a mimeograph), or coloured marks over black type (stamps, a pen). Each
 * decision is a measured threshold, so a clean page gets none of them and reads as it always did.
 */
import type { CleaningStep } from '../../model.js';
import { darkMarks, type Mark } from './dark-marks.js';
import { inkLevel, percentile, type GreyImage } from './restore.js';

export interface PageCondition {
  /** Dark specks smaller than any letter's part, per text-sized mark. */
  speckRatio: number;
  specks: number;
  /** Grey levels between the darkest and brightest paper of the page. */
  paperSpread: number;
  /** The share of the paper (in ≈ 1.6 mm blocks) clearly darker than the rest: stains, rings, foxing, haze. */
  blotches: number;
  /** How dark the ink's strokes are, 0 black – 255 white (inkLevel in restore.ts). */
  inkLevel: number;
  /** When the ink falls into two groups by darkness (type, and show-through fainter than it): the grey level between them. */
  faintLayerBelow: number | null;
}

/** Marks up to this area (at 300 DPI) are specks, not letters: a full stop is about 30 px. */
const SPECK_AREA_300 = 24;
/** Fewer specks than this many per letter-sized mark is a normal page (accents, full stops, grain). */
const SPECKS_PER_MARK = 0.3;
const MIN_SPECKS = 300;
/** Paper this uneven (brightest against darkest, in grey levels) is flattened. */
const UNEVEN_PAPER = 24;
/** Show-through is dropped only when each group, the type and the fainter marks, holds at least this share of the ink. */
const TYPE_SHARE = 0.15;
/** Ink whose darkest percent is lighter than this is stretched to black. */
const FAINT_INK = 90;

/** `marks`: the page's dark marks, when the caller found them already (ocr-input.ts keeps them for skipped-text.ts). */
export function measureCondition(image: GreyImage, dpi: number, marks: readonly Mark[] = darkMarks(image)): PageCondition {
  const { specks, marks: larger } = countMarks(marks, dpi);
  return {
    speckRatio: specks / Math.max(1, larger),
    specks,
    paperSpread: paperSpread(image, dpi),
    blotches: blotches(image, dpi),
    inkLevel: inkLevel(image),
    faintLayerBelow: faintLayer(image),
  };
}

/**
 * Paper blotched in patches too small to move the paper's spread (coffee rings, a spill, foxing,
 * a photocopy's haze): a page not flattened for its spread is also read flattened when its
 * reading is only fairly sure (ocr-input.ts, read-page.ts), and the surer reading kept. On the
 * hard pages, the stained edital read 2.20 % → 1.26 % of characters wrong (91.6 → 93.2 sure); the
 * twice-photocopied contrato's first reading 2.55 % → 2.06 % (90.9 → 92.0); flattened, the green-bar
 * nota read worse and less surely (72.7 → 71.0), so it kept its reading. Pages with clean paper
 * (the show-through ones, 0.0 % blotched) read worse flattened but surer, so they are never asked.
 * The stained pages measure 3.9–18 %, the bundled stained requerimento 3.1 %, clean pages 0–2 %.
 */
const BLOTCHED_PAPER = 0.03;
/** How much darker than the page's paper a blotch is, in grey levels. */
const BLOTCH_DEPTH = 8;

export function blotchedPaper(condition: PageCondition): boolean {
  return condition.blotches >= BLOTCHED_PAPER;
}

/**
 * More specks than marks of text: every reading of such a page asks the engine for its heavy noise
 * removal too (`heavy-noise-removal`). On the hard pages the three speckled ones measure 1.05–1.23
 * and gain (4.10 % → 2.62 %, 0.92 → 0.58, 12.50 → 10.04 % of characters wrong), while the next
 * (a worn dot-matrix form 0.94, a faded carbon under specks 0.91) lose by it (5.06 → 9.89 %, 3.38 → 3.69 %).
 */
const HEAVY_SPECKS_PER_MARK = 1;

export function heavilySpeckled(condition: PageCondition): boolean {
  return condition.specks >= MIN_SPECKS && condition.speckRatio >= HEAVY_SPECKS_PER_MARK;
}

/** The steps a page of this condition gets, in the order they run. */
export function planCleaning(condition: PageCondition): CleaningStep[] {
  const steps: CleaningStep[] = [];
  if (condition.specks >= MIN_SPECKS && condition.speckRatio >= SPECKS_PER_MARK) steps.push('despeckle');
  if (condition.paperSpread >= UNEVEN_PAPER) steps.push('flatten-background');
  if (condition.faintLayerBelow !== null) steps.push('drop-show-through');
  if (condition.inkLevel >= FAINT_INK) steps.push('contrast');
  return steps;
}

/** The page's dark marks (dark-marks.ts: grain of one or two pixels left out) counted by size: specks are at most SPECK_AREA, marks larger. */
function countMarks(found: readonly Mark[], dpi: number): { specks: number; marks: number } {
  const maxSpeck = Math.max(2, Math.round(SPECK_AREA_300 * (dpi / 300) ** 2));
  const specks = found.filter((mark) => mark.size <= maxSpeck).length;
  return { specks, marks: found.length - specks };
}

/** The spread of the paper's brightness over the page: the brightest pixel of each ≈ 3 mm block, 5th to 95th percentile. */
function paperSpread(image: GreyImage, dpi: number): number {
  const brightest = paperBlocks(image, Math.max(8, Math.round(dpi / 8)));
  if (brightest.length === 0) return 0;
  return brightest[Math.floor(brightest.length * 0.95)]! - brightest[Math.floor(brightest.length * 0.05)]!;
}

/** The share of ≈ 1.6 mm blocks whose paper is BLOTCH_DEPTH darker than the median block's: a block is wider than a stroke, so its brightest pixel is paper. */
function blotches(image: GreyImage, dpi: number): number {
  const brightest = paperBlocks(image, Math.max(4, Math.round(dpi / 16)));
  if (brightest.length === 0) return 0;
  const paper = brightest[Math.floor(brightest.length / 2)]!;
  let darker = 0;
  while (darker < brightest.length && brightest[darker]! < paper - BLOTCH_DEPTH) darker++;
  return darker / brightest.length;
}

/** The brightest pixel of each whole block of `block` pixels square, sorted. */
function paperBlocks(image: GreyImage, block: number): number[] {
  const { data, width, height } = image;
  const brightest: number[] = [];
  for (let by = 0; by + block <= height; by += block) {
    for (let bx = 0; bx + block <= width; bx += block) {
      let max = 0;
      for (let y = by; y < by + block; y++) for (let x = bx; x < bx + block; x++) if (data[y * width + x]! > max) max = data[y * width + x]!;
      brightest.push(max);
    }
  }
  return brightest.sort((a, b) => a - b);
}

/**
 * Show-through from the back of thin paper: the ink's darkness histogram has a second peak,
 * well lighter than the type's, with a clear valley between. The usual page has one peak (the
 * type) falling off towards the paper through the letters' soft edges.
 */
export function faintLayer(image: GreyImage): number | null {
  const paper = percentile(image.data, 0.5);
  const histogram = new Float64Array(256);
  for (let i = 0; i < image.data.length; i++) if (image.data[i]! < paper - 20) histogram[image.data[i]!]!++;
  const end = Math.max(0, paper - 20);
  if (end < 80) return null;
  const curve = Array.from({ length: end }, (_, v) => {
    let sum = 0;
    for (let d = -6; d <= 6; d++) sum += histogram[Math.max(0, Math.min(end - 1, v + d))]!;
    return sum / 13;
  });
  const peakIn = (from: number, to: number) => {
    let best = from;
    for (let v = from; v < to; v++) if (curve[v]! > curve[best]!) best = v;
    return best;
  };
  const half = Math.floor(end / 2);
  const dark = peakIn(0, half);
  // A true peak, not the rising edge of the paper's grain at the end of the range.
  const light = peakIn(half, end - 12);
  if (curve[light]! < 1.5 * curve[light + 12]!) return null;
  let valley = dark;
  for (let v = dark; v <= light; v++) if (curve[v]! < curve[valley]!) valley = v;
  if (light - dark < 50 || curve[valley]! > 0.5 * Math.min(curve[dark]!, curve[light]!)) return null;
  // What is dropped must leave the type's own soft edges: a valley just past the type's peak is a
  // gap in a clean render's grey levels (valley 46 over type at 19), not the start of a fainter layer
  // (on the show-through pages it lies 57–90 levels above the type).
  if (valley < dark + 40) return null;
  // A layer, not a ripple in the letters' soft edges: its peak stands at least a seventh as high as
  // the type's (a page of seven typed lines, mostly paper, has a ripple at a tenth).
  if (curve[light]! < 0.14 * curve[dark]!) return null;
  // The type is the darker group and a good part of the ink; a few dark specks over faint type are not.
  let darker = 0;
  let all = 0;
  for (let v = 0; v < end; v++) {
    all += histogram[v]!;
    if (v <= valley) darker += histogram[v]!;
  }
  // …and the fainter group is more than a trace (a bilevel page has none at all).
  return darker >= TYPE_SHARE * all && all - darker >= TYPE_SHARE * all ? valley : null;
}
