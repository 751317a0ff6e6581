/**
 * Where the words of a corrected page text go on the page (issue 25): each at the place of the
 * machine word it was aligned with (word-alignment.ts), on that word's line, so a viewer
 * selecting or searching finds the corrected word where the misread one was. Used at both writes
 * of a page's text layer: a conversion (the OCR's lines in hand: `correctedOcrLines`) and a
 * rewrite of a finished PDF (its own text layer read back: pdf-rewrite.ts).
 *
 * A page where the machine read no word has no place to go by: its corrected lines are laid
 * across the page from the top (`linesAcross`), findable on the page but at no printed word.
 */
import type { Box, OcrLine, OcrWord } from '../model.js';
import { alignWords } from './word-alignment.js';

/** A machine word on its line, left and right edges in the layer's own units. */
export interface LineWord {
  text: string;
  x0: number;
  x1: number;
}

/** A corrected word placed on a line: the machine word `at` (where it starts) unchanged when `same`. */
export interface PlacedWord<W extends LineWord> {
  text: string;
  x0: number;
  x1: number;
  at: W;
  same: boolean;
}

/** The words of `text` split as the catalog's page text is (at any white space). */
export function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter((word) => word.length > 0);
}

/**
 * The corrected text's words placed on the machine's lines, line for line (a line may end up
 * empty); null when the machine read no word and the correction holds some.
 */
export function placeOnLines<W extends LineWord>(lines: ReadonlyArray<readonly W[]>, corrected: string): Array<Array<PlacedWord<W>>> | null {
  const flat: Array<{ word: W; line: number }> = lines.flatMap((words, line) => words.map((word) => ({ word, line })));
  const aligned = alignWords(
    flat.map((entry) => entry.word.text),
    wordsOf(corrected),
  );
  if (aligned === null) return null;
  const placed: Array<Array<PlacedWord<W>>> = lines.map(() => []);
  const last = flat.length - 1;
  const xAt = (index: number, fraction: number) => {
    const { word } = flat[index]!;
    return word.x0 + Math.min(1, Math.max(0, fraction)) * (word.x1 - word.x0);
  };
  for (const word of aligned) {
    const first = Math.min(last, Math.floor(word.start));
    const line = flat[first]!.line;
    // The span ends in the word it reaches into, clipped to the line it starts on.
    let end = Math.min(last, Math.max(first, Math.ceil(word.end) - 1));
    let endFraction = word.end - end;
    while (flat[end]!.line !== line) {
      end--;
      endFraction = 1;
    }
    const x0 = xAt(first, word.start - first);
    placed[line]!.push({ text: word.text, x0, x1: Math.max(x0, xAt(end, endFraction)), at: flat[first]!.word, same: word.same });
  }
  return placed;
}

/**
 * The OCR's lines with the corrected text's words in them: a word the correction kept is the
 * machine's own (box and confidence), any other is boxed within the machine's place on its line.
 * Null when the machine read no word (see linesAcross).
 */
export function correctedOcrLines(lines: readonly OcrLine[], corrected: string): OcrLine[] | null {
  const boxed = lines.map((line) => line.words.map((word) => ({ text: word.text, x0: word.box.x0, x1: word.box.x1, word })));
  const placed = placeOnLines(boxed, corrected);
  if (placed === null) return null;
  return lines.flatMap((line, index) => {
    const words: OcrWord[] = placed[index]!.map((entry) =>
      entry.same ? entry.at.word : { text: entry.text, box: { x0: entry.x0, y0: entry.at.word.box.y0, x1: entry.x1, y1: entry.at.word.box.y1 }, confidence: 100 },
    );
    return words.length > 0 ? [{ ...line, words }] : [];
  });
}

/**
 * The corrected text's lines laid across `area` (y down) from its top, one text line a row, each
 * word as wide as its letters: for a page where the machine read nothing to place them by.
 */
export function linesAcross(text: string, area: Box): OcrLine[] {
  const rows = text.split('\n').map(wordsOf).filter((words) => words.length > 0);
  if (rows.length === 0) return [];
  const width = area.x1 - area.x0;
  const height = area.y1 - area.y0;
  const rowHeight = Math.min(height / (rows.length + 2), height / 40);
  const longest = Math.max(...rows.map((words) => words.join(' ').length));
  const letter = Math.min(rowHeight / 2, (0.8 * width) / longest);
  return rows.map((words, row) => {
    const y0 = area.y0 + rowHeight * (row + 1);
    const y1 = y0 + 0.8 * rowHeight;
    let x = area.x0 + 0.1 * width;
    const placed = words.map((word) => {
      const box = { x0: x, y0, x1: x + letter * [...word].length, y1 };
      x = box.x1 + letter;
      return { text: word, box, confidence: 100 };
    });
    return { box: { x0: placed[0]!.box.x0, y0, x1: placed[placed.length - 1]!.box.x1, y1 }, words: placed, textSize: 0.8 * rowHeight };
  });
}
