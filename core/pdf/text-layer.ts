/**
 * The invisible text layer of one page, as PDF content-stream operators.
 *
 * Coordinates stay in the OCR raster's pixel space (y down): one `cm` maps that space onto the
 * page, whatever the page's size, resolution, rotation or crop box. The lines of a paragraph share
 * one font size (their typical height) and each sits on its own baseline, so text extractors see
 * clean lines in clean blocks and viewers highlight the line's height; each word is
 * stretched with Tz to cover exactly its box, so viewers highlight the right place, and is
 * followed by a real space character, so extractors keep the word breaks.
 */
import type { Matrix, OcrLine } from '../model.js';
import { codeCount, DESCENT, encodeText, GLYPH_ADVANCE, UNITS_PER_EM } from './glyphless-font.js';

/** A number as the layer writes it: at most three decimals, no trailing zeros (text-layer-rewrite.ts writes the same). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const fixed = value.toFixed(3);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * Where the baseline is under x: the engine's baseline when it found one (slanted lines stay
 * on their words), else where the font's descent reaches the bottom of the line's box.
 */
function baselineAt(line: OcrLine, x: number, size: number): number {
  const b = line.baseline;
  if (b && b.x1 !== b.x0) return b.y0 + ((b.y1 - b.y0) * (x - b.x0)) / (b.x1 - b.x0);
  return line.box.y1 + (DESCENT * size) / UNITS_PER_EM;
}

/** Operators drawing the words of `lines` invisibly with font resource `fontName`. */
export function textLayerOperators(lines: readonly OcrLine[], rasterToPage: Matrix, fontName: string): string {
  const ops: string[] = ['q', `${rasterToPage.map(formatNumber).join(' ')} cm`, 'BT', '3 Tr'];
  for (const line of lines) {
    const size = Math.max(1, line.textSize ?? line.box.y1 - line.box.y0);
    ops.push(`/${fontName} ${formatNumber(size)} Tf`);
    line.words.forEach((word, index) => {
      const isLast = index === line.words.length - 1;
      const width = Math.max(1, word.box.x1 - word.box.x0);
      const natural = (codeCount(word.text) * GLYPH_ADVANCE * size) / UNITS_PER_EM;
      const text = isLast ? word.text : `${word.text} `;
      // Tm flips y back up, since the cm above maps a y-down raster.
      ops.push(`1 0 0 -1 ${formatNumber(word.box.x0)} ${formatNumber(baselineAt(line, word.box.x0, size))} Tm`, `${formatNumber((100 * width) / natural)} Tz`, `<${encodeText(text)}> Tj`);
    });
  }
  ops.push('ET', 'Q');
  return ops.join('\n');
}
