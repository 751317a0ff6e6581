/**
 * Acervo's own invisible text layer read back from a page's content stream (text-layer.ts writes
 * it): its words with their places, and each word's operators exactly as written. After a
 * conversion the OCR's word boxes are kept nowhere else (the catalog keeps each page's text, not
 * its boxes), and this is exact where pdf.js's text items would be an approximation: the layer is
 * a fixed, small grammar.
 *
 *     q / <matrix> cm / BT / 3 Tr / then for each line: /<font> <size> Tf, and for each word:
 *     1 0 0 -1 <x> <baseline> Tm / <scale> Tz / <hex> Tj  (the word, a space after all but a
 *     line's last) / ET / Q
 *
 * Anything else between BT and ET and it is not Acervo's layer: the page is left as it is.
 */
import type { Matrix } from '../model.js';
import { codeCount, GLYPH_ADVANCE, UNITS_PER_EM } from './glyphless-font.js';

export interface LayerWord {
  /** The word, without the space drawn after it. */
  text: string;
  /** Its place on its line, in the layer's units (the OCR raster's pixels): left and right edges, baseline. */
  x0: number;
  x1: number;
  y: number;
  /** Whether a space is drawn after it (every word of a line but the last). */
  spaced: boolean;
  /** Its three operators as written: Tm, Tz and Tj. */
  ops: [string, string, string];
}

export interface LayerLine {
  /** Its Tf operator as written, and the font size it sets. */
  font: string;
  size: number;
  words: LayerWord[];
}

export interface TextLayer {
  /** The content's lines before the layer and after it, kept as they are. */
  before: string[];
  after: string[];
  /** q, the cm, BT and 3 Tr, as written. */
  head: string[];
  matrix: Matrix;
  /** The font resource the layer draws with. */
  fontName: string;
  lines: LayerLine[];
}

const NUMBER = '(-?\\d+(?:\\.\\d+)?)';
const CM = new RegExp(`^${Array(6).fill(NUMBER).join(' ')} cm$`);
const TF = /^\/([^\s/<>[\]()]+) (\d+(?:\.\d+)?) Tf$/;
const TM = new RegExp(`^1 0 0 -1 ${NUMBER} ${NUMBER} Tm$`);
const TZ = /^(\d+(?:\.\d+)?) Tz$/;
const TJ = /^<([0-9A-F]*)> Tj$/;

/** The layer in a decoded content stream, or null when it holds none this reader knows. */
export function readTextLayer(content: string): TextLayer | null {
  const rows = content.split('\n');
  for (let start = rows.length - 4; start >= 0; start--) {
    if (rows[start] !== 'q' || rows[start + 2] !== 'BT' || rows[start + 3] !== '3 Tr') continue;
    const cm = CM.exec(rows[start + 1]!);
    if (!cm) continue;
    return body(rows, start, cm.slice(1).map(Number) as unknown as Matrix);
  }
  return null;
}

function body(rows: readonly string[], start: number, matrix: Matrix): TextLayer | null {
  const lines: LayerLine[] = [];
  let fontName: string | null = null;
  let i = start + 4;
  for (; i < rows.length && rows[i] !== 'ET'; ) {
    const tf = TF.exec(rows[i]!);
    if (!tf || (fontName !== null && tf[1] !== fontName)) return null;
    fontName = tf[1]!;
    const size = Number(tf[2]);
    const line: LayerLine = { font: rows[i]!, size, words: [] };
    i++;
    while (i + 2 < rows.length && TM.test(rows[i]!)) {
      const tm = TM.exec(rows[i]!)!;
      const tz = TZ.exec(rows[i + 1]!);
      const tj = TJ.exec(rows[i + 2]!);
      if (!tz || !tj) return null;
      const drawn = decodeText(tj[1]!);
      const spaced = drawn.endsWith(' ');
      const text = spaced ? drawn.slice(0, -1) : drawn;
      const x0 = Number(tm[1]);
      const natural = (codeCount(text) * GLYPH_ADVANCE * size) / UNITS_PER_EM;
      line.words.push({ text, x0, x1: x0 + (Number(tz[1]) * natural) / 100, y: Number(tm[2]), spaced, ops: [rows[i]!, rows[i + 1]!, rows[i + 2]!] });
      i += 3;
    }
    lines.push(line);
  }
  if (rows[i] !== 'ET' || rows[i + 1] !== 'Q' || fontName === null) return null;
  return { before: rows.slice(0, start), after: rows.slice(i + 2), head: rows.slice(start, start + 4), matrix, fontName, lines };
}

/** The glyphless font's codes (glyphless-font.ts encodeText) back to text. */
function decodeText(hex: string): string {
  let text = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) text += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return text;
}
