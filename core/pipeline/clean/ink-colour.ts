/**
 * A colour page made grey by what its ink is. Luminance (what a grey scan gives) is right for
 * black type, but it keeps a red stamp, a blue signature or a coffee stain as dark as the type
 * under them, and it makes a violet mimeograph paler than it looks. So each pixel's ink is seen
 * as what it absorbs from the paper's own colour, channel by channel: black type absorbs all
 * three alike (on white or on browned paper), a coloured ink or a stain some more than others.
 *
 * - type in a colour (most ink coloured, of one kind): each pixel as dark as its most absorbed
 *   channel, so the text comes out as dark as it can (`ink-channel`);
 * - marks of another colour than the type (stamps, pen, stains over black type): taken out of
 *   the page by unmixing each pixel's inks (`colour-dropout`). Inks are transparent, so their
 *   optical densities add: a pixel is some black type (equal density in every channel) plus some
 *   of the mark's ink (its own density in each channel, measured on the page's clearly coloured
 *   pixels), and only the black part is kept. A stamp alone becomes paper; the type under it
 *   stays as dark as it was. (Keeping a mark's least absorbed channel instead, the earlier way,
 *   left a blue stamp at grey 167 on paper 236: still read as words.) This is the colour
 *   deconvolution microscopists use to separate stains (Ruifrok & Johnston, 2001).
 *   Only for a second reading (read-page.ts): a form's printed labels and serial numbers are
 *   coloured too and are part of the record (the recibo's teal labels: 0.27% of characters
 *   wrong read as they are, 2.2% with its colours faded).
 */
import type { CleaningStep } from '../../model.js';
import type { GreyImage } from './restore.js';

/** Absorption unevenness (0 grey – 1 one channel only) from which ink counts as coloured. */
const COLOURED = 0.5;
/** Ink absorbs at least this much of the paper's light in its strongest channel. */
const INK = 0.2;
/** Type in colour: at least this share of the ink is coloured. */
const COLOURED_TYPE = 0.6;
/** Black type with coloured marks: at most this share of the ink is coloured. In between (a faint violet carbon, partly grey) the page is left as it is. */
const BLACK_TYPE = 0.3;
/** Marks worth removing: at least this share of the ink. */
const MARKS = 0.01;
/** Which channel absorbs most: red, green or blue. */
type Strongest = 0 | 1 | 2;
/**
 * Pixels this coloured in density (least against most absorbed channel) and this dark say what a
 * mark's ink is. In density a dark blue pen stands out (0.6; black type 0.03) where its share of
 * light absorbed does not (0.33, under COLOURED): a dark ink absorbs nearly all of every channel.
 */
const PURE_MARK = { unevenness: 0.5, density: 0.4 };
/** Sampled pure pixels needed to trust an ink's measure. */
const INK_SAMPLES = 30;
/** Optical density of a channel at or under a hundredth of the paper's light: the scanner's black. */
const MAX_DENSITY = Math.log(100);
/** Densities of red, green and blue, the largest 1. */
type InkColour = [number, number, number];

interface Absorption {
  /** Of the strongest and weakest channel, 0–1. */
  most: number;
  least: number;
  strongest: Strongest;
}

function absorption(r: number, g: number, b: number, paper: readonly [number, number, number]): Absorption {
  const a = [1 - r / paper[0], 1 - g / paper[1], 1 - b / paper[2]].map((x) => Math.max(0, Math.min(1, x))) as [number, number, number];
  const strongest: Strongest = a[0] >= a[1] && a[0] >= a[2] ? 0 : a[1] >= a[2] ? 1 : 2;
  return { most: a[strongest], least: Math.min(a[0], a[1], a[2]), strongest };
}

/** How coloured, 0 (grey) – 1 (one channel only). */
function unevenness(x: Absorption): number {
  return x.most > 0 ? (x.most - x.least) / x.most : 0;
}

function paperColour(rgb: Uint8Array, pixels: number, stride: number): [number, number, number] {
  const histogram = new Uint32Array(256);
  const luminance = (i: number) => Math.round(0.299 * rgb[3 * i]! + 0.587 * rgb[3 * i + 1]! + 0.114 * rgb[3 * i + 2]!);
  for (let i = 0; i < pixels; i += stride) histogram[luminance(i)]!++;
  let mode = 0;
  for (let v = 0; v < 256; v++) if (histogram[v]! > histogram[mode]!) mode = v;
  const sum = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < pixels; i += stride) {
    if (Math.abs(luminance(i) - mode) > 2) continue;
    for (let c = 0; c < 3; c++) sum[c]! += rgb[3 * i + c]!;
    count++;
  }
  return sum.map((x) => Math.max(1, x / Math.max(1, count))) as [number, number, number];
}

export interface InkAnalysis {
  paper: [number, number, number];
  /** The type is in a colour; which channel it absorbs most. */
  typeKind: Strongest | null;
  /** Coloured marks other than the type are worth fading (a stamp, a pen, a stain). */
  marks: boolean;
  /** The marks' inks by the channel they absorb most (a blue stamp and a red one differ); null where none was seen. */
  markInks: [InkColour | null, InkColour | null, InkColour | null];
}

function density(value: number, paper: number): number {
  const d = Math.log(paper / Math.max(1, value));
  return d < 0 ? 0 : d > MAX_DENSITY ? MAX_DENSITY : d;
}

/** Each channel's density by its 8-bit value against the paper's: looked up, not a logarithm per pixel and channel. */
function densityTables(paper: readonly [number, number, number]): [Float64Array, Float64Array, Float64Array] {
  return paper.map((p) => Float64Array.from({ length: 256 }, (_, value) => density(value, p))) as [Float64Array, Float64Array, Float64Array];
}

export function analyseInk(rgb: Uint8Array, width: number, height: number): InkAnalysis {
  const pixels = width * height;
  const stride = Math.max(1, Math.floor(pixels / 200_000));
  const paper = paperColour(rgb, pixels, stride);
  const kinds = [0, 0, 0];
  let ink = 0;
  let coloured = 0;
  const inkSums = [new Float64Array(4), new Float64Array(4), new Float64Array(4)];
  const [d0, d1, d2] = densityTables(paper);
  for (let i = 0; i < pixels; i += stride) {
    const x = absorption(rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!, paper);
    if (x.most < INK) continue;
    ink++;
    if (unevenness(x) >= COLOURED) {
      coloured++;
      kinds[x.strongest]!++;
    }
    const d = [d0[rgb[3 * i]!]!, d1[rgb[3 * i + 1]!]!, d2[rgb[3 * i + 2]!]!];
    const largest = Math.max(...d);
    if (largest >= PURE_MARK.density && (largest - Math.min(...d)) / largest >= PURE_MARK.unevenness) {
      const sums = inkSums[x.strongest]!;
      for (let c = 0; c < 3; c++) sums[c]! += d[c]! / largest;
      sums[3]!++;
    }
  }
  const markInks = inkSums.map((sums) => (sums[3]! >= INK_SAMPLES ? ([sums[0]! / sums[3]!, sums[1]! / sums[3]!, sums[2]! / sums[3]!] as InkColour) : null)) as InkAnalysis['markInks'];
  const typeKind = kinds.indexOf(Math.max(...kinds)) as Strongest;
  const colouredType = ink > 0 && coloured / ink >= COLOURED_TYPE && kinds[typeKind]! >= 0.8 * coloured;
  // Marks counted by their share of light absorbed, and by density, so that a navy stamp or a
  // blue-black pen counts too (see PURE_MARK).
  const marks = colouredType ? coloured - kinds[typeKind]! : coloured;
  const densityMarks = inkSums.reduce((sum, sums, kind) => (colouredType && kind === typeKind ? sum : sum + sums[3]!), 0);
  if (colouredType) markInks[typeKind] = null;
  const enough = ink > 0 && Math.max(marks, densityMarks) / ink >= MARKS;
  return { paper, typeKind: colouredType ? typeKind : null, marks: enough && (colouredType || coloured / ink <= BLACK_TYPE), markInks };
}

/** The page in grey: type in a colour as dark as its ink absorbs; other coloured marks faded when `dropMarks`. */
export function inkGrey(rgb: Uint8Array, width: number, height: number, analysis: InkAnalysis, dropMarks: boolean): { image: GreyImage; steps: CleaningStep[] } {
  const pixels = width * height;
  const { paper, typeKind } = analysis;
  const paperLuminance = 0.299 * paper[0] + 0.587 * paper[1] + 0.114 * paper[2];
  const drop = dropMarks && analysis.marks;
  const steps: CleaningStep[] = [];
  if (typeKind !== null) steps.push('ink-channel');
  if (drop) steps.push('colour-dropout');
  const grey = new Uint8Array(pixels);
  const [p0, p1, p2] = paper;
  const [d0, d1, d2] = densityTables(paper);
  for (let i = 0; i < pixels; i++) {
    const r = rgb[3 * i]!;
    const g = rgb[3 * i + 1]!;
    const b = rgb[3 * i + 2]!;
    let value = 0.299 * r + 0.587 * g + 0.114 * b;
    if (steps.length > 0) {
      // absorption() and unevenness() written out with plain comparisons: this runs for every
      // pixel of the page (8.7 M at 300 DPI), where the calls and Math.min/max cost 1.5 s a page
      // instead of 0.2 s (same result, bit for bit).
      let a0 = 1 - r / p0;
      a0 = a0 < 0 ? 0 : a0 > 1 ? 1 : a0;
      let a1 = 1 - g / p1;
      a1 = a1 < 0 ? 0 : a1 > 1 ? 1 : a1;
      let a2 = 1 - b / p2;
      a2 = a2 < 0 ? 0 : a2 > 1 ? 1 : a2;
      const strongest: Strongest = a0 >= a1 && a0 >= a2 ? 0 : a1 >= a2 ? 1 : 2;
      const most = strongest === 0 ? a0 : strongest === 1 ? a1 : a2;
      const least = a0 < a1 ? (a0 < a2 ? a0 : a2) : a1 < a2 ? a1 : a2;
      // How coloured, 0–1, so that an ink's fringe blends rather than cuts.
      let weight = ((most > 0 ? (most - least) / most : 0) - COLOURED) / 0.25;
      weight = weight < 0 ? 0 : weight > 1 ? 1 : weight;
      if (typeKind !== null && strongest === typeKind) value = (1 - weight) * value + weight * paperLuminance * (1 - most);
      else if (drop) {
        const markInk = analysis.markInks[strongest];
        value = markInk ? paperLuminance * Math.exp(-blackDensity(d0[r]!, d1[g]!, d2[b]!, markInk)) : (1 - weight) * value + weight * paperLuminance * (1 - least);
      }
    }
    grey[i] = Math.round(value);
  }
  return { image: { data: grey, width, height }, steps };
}

/**
 * The black type's density in a pixel whose densities are `dr, dg, db`: the least-squares split
 * into black (1, 1, 1) and the mark's ink, neither negative.
 */
function blackDensity(dr: number, dg: number, db: number, ink: InkColour): number {
  const [sr, sg, sb] = ink;
  const ss = sr * sr + sg * sg + sb * sb;
  const as = sr + sg + sb;
  const aD = dr + dg + db;
  const sD = sr * dr + sg * dg + sb * db;
  const det = 3 * ss - as * as;
  // An ink as grey as black cannot be told from it: the pixel stays as dark as it is.
  if (det < 1e-3) return aD / 3;
  const mark = (3 * sD - as * aD) / det;
  if (mark <= 0) return aD / 3;
  const black = (ss * aD - as * sD) / det;
  return black > 0 ? black : 0;
}
