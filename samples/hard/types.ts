/** Shared types of the hard-page generator. */

/** The page classes of hard scans, as folder names under samples/hard-pages/scans/. */
export const HARD_CLASSES = ['carbon', 'mimeograph', 'speckle', 'bleed-through', 'stamps', 'stains', 'dot-matrix', 'photocopy', 'phone-photo'] as const;

export type HardClass = (typeof HARD_CLASSES)[number];

export function isHardClass(name: string): name is HardClass {
  return (HARD_CLASSES as readonly string[]).includes(name);
}

/** How the text was put on paper. `typewriter` strikes every character on its own (DejaVu Sans Mono on
 *  the character grid, per-character jitter); `typewriter-serif` is a proportional typewriter (DejaVu
 *  Serif, struck the same way); `serif` and `sans` are typeset (DejaVu Serif / Sans, one run per line). */
export type Face = 'typewriter' | 'typewriter-serif' | 'serif' | 'sans';

/** `heavy`: the worst of a class that a person still reads without effort. */
export type Severity = 'moderate' | 'heavy';

/** One paragraph or line of the page's text, as laid out by layout.ts. A plain string is a
 *  left-aligned paragraph wrapped to the text width; an empty string is a vertical gap. */
export interface Block {
  text: string;
  align?: 'left' | 'center' | 'right';
  /** First-line indent of a wrapped paragraph, in ems of the body size. */
  firstIndent?: number;
  /** Indent of every line, in ems. */
  indent?: number;
  /** Bold (typeset faces only; a typewriter has no bold). */
  bold?: boolean;
}

export type PageText = readonly (string | Block)[];

export interface HardPageOptions {
  face?: Face;
  /** Body size in points. */
  sizePt?: number;
  /** Baseline to baseline, in body sizes. */
  leading?: number;
  severity?: Severity;
  /** Class-specific variant (e.g. 'violet' or 'black' carbon); each class documents its own. */
  variant?: string;
  /** bleed-through: the text on the back of the sheet (mirrored, faint). */
  verso?: PageText;
  /** stamps: the stamp texts, e.g. ['PREFEITURA MUNICIPAL', 'PROTOCOLO'] (language of the page). */
  stampTexts?: { round: [string, string]; box: [string, string, string] };
  /**
   * stamps: the pen's ink as RGB (by default one of a blue and a black, by the seed), or 'none':
   * the same page without its note and initials. Tests measure handwriting removal against them.
   */
  penInk?: [number, number, number] | 'none';
}

/** A text line as drawn: the ground truth is the `text` of every line, top to bottom. */
export interface PlacedLine {
  text: string;
  /** Left end of the line, px. */
  x: number;
  /** Baseline, px. */
  y: number;
  size: number;
  bold: boolean;
}

export interface LaidPage {
  width: number;
  height: number;
  dpi: number;
  face: Face;
  lines: PlacedLine[];
  margin: { left: number; right: number; top: number; bottom: number };
}

export interface Rendered {
  image: Buffer;
  ext: 'png' | 'jpg';
  dpi: number;
  width: number;
  height: number;
  channels: 1 | 3;
  /** The drawn text lines, top to bottom: the page's ground truth. */
  lines: string[];
  /** The body size actually drawn, in points (smaller than asked when the text had to shrink to fit). */
  sizePt: number;
}
