/**
 * A page's text layer as read back (text-layer-reader.ts) written again with a corrected text
 * (issue 25). Words are placed where the machine's were (corrected-layout.ts); every word the
 * correction kept is written with its own operators, byte for byte, so a line whose words are all
 * unchanged is the same bytes as before, and the rest of the content stream (the scan's drawing,
 * a source page's own content) is not touched.
 */
import { codeCount, encodeText, GLYPH_ADVANCE, UNITS_PER_EM } from './glyphless-font.js';
import { placeOnLines, type PlacedWord } from './corrected-layout.js';
import { formatNumber } from './text-layer.js';
import type { LayerLine, LayerWord, TextLayer } from './text-layer-reader.js';

/** The content stream's text with the layer saying `corrected`; null when the layer has no word to place it by. */
export function correctedContent(layer: TextLayer, corrected: string): string | null {
  const placed = placeOnLines(
    layer.lines.map((line) => line.words),
    corrected,
  );
  if (placed === null) return null;
  const rows: string[] = [...layer.before, ...layer.head];
  layer.lines.forEach((line, index) => {
    const words = placed[index]!;
    // A line left without words is left out, its font setting with it.
    if (words.length === 0 && line.words.length > 0) return;
    rows.push(line.font);
    words.forEach((word, k) => rows.push(...wordOps(line, word, k === words.length - 1)));
  });
  rows.push('ET', 'Q', ...layer.after);
  return rows.join('\n');
}

function wordOps(line: LayerLine, word: PlacedWord<LayerWord>, last: boolean): string[] {
  const drawn = last ? word.text : `${word.text} `;
  if (word.same) {
    const [tm, tz, tj] = word.at.ops;
    // Only the space after it changes when it became (or stopped being) its line's last word.
    return [tm, tz, word.at.spaced === !last ? tj : `<${encodeText(drawn)}> Tj`];
  }
  const natural = (codeCount(word.text) * GLYPH_ADVANCE * line.size) / UNITS_PER_EM;
  const width = Math.max(1, word.x1 - word.x0);
  return [`1 0 0 -1 ${formatNumber(word.x0)} ${formatNumber(baselineAt(line, word.at, word.x0))} Tm`, `${formatNumber((100 * width) / Math.max(1e-6, natural))} Tz`, `<${encodeText(drawn)}> Tj`];
}

/** The line's baseline under x: through its first and last words' (slanted lines stay on their words), else the word's own. */
function baselineAt(line: LayerLine, at: LayerWord, x: number): number {
  const first = line.words[0]!;
  const last = line.words[line.words.length - 1]!;
  if (last.x0 === first.x0) return at.y;
  return at.y + ((last.y - first.y) * (x - at.x0)) / (last.x0 - first.x0);
}
