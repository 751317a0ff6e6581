/**
 * A reading's words changed after the engine read them: repaired in place (withWords: same
 * order, same boxes), some left out (withoutWords) or whole lines left out (withoutLines). The page's text is rebuilt from the
 * old one, so its paragraph breaks stay where the engine put them.
 */
import type { OcrLine, OcrPage } from '../model.js';

/** The page's words as read, in order: what a repair is asked about. */
export function wordsOf(page: OcrPage): string[] {
  return page.lines.flatMap((line) => line.words.map((word) => word.text));
}

/** The page with its words replaced (same order as wordsOf); its text is rebuilt word for word, the layout untouched. */
export function withWords(page: OcrPage, repaired: readonly string[]): { page: OcrPage; restored: number } {
  const replaced = (index: number, word: string) => repaired[index] ?? word;
  let restored = 0;
  let index = 0;
  const lines: OcrLine[] = page.lines.map((line) => ({
    ...line,
    words: line.words.map((word) => {
      const replacement = replaced(index++, word.text);
      if (replacement === word.text) return word;
      restored++;
      return { ...word, text: replacement };
    }),
  }));
  if (restored === 0) return { page, restored };
  return { page: { ...page, lines, text: rebuiltText(page, replaced) }, restored };
}

/**
 * The page without the words `leaveOut` names (by index, in wordsOf's order), out of its text
 * too; each line keeps at least one word (leave a whole line out with withoutLines) and its box
 * narrows to the words it keeps.
 */
export function withoutWords(page: OcrPage, leaveOut: ReadonlySet<number>): OcrPage {
  if (leaveOut.size === 0) return page;
  let index = 0;
  const lines: OcrLine[] = page.lines.map((line) => {
    const words = line.words.filter(() => !leaveOut.has(index++));
    if (words.length === line.words.length) return line;
    const box = { ...line.box, x0: Math.min(...words.map((w) => w.box.x0)), x1: Math.max(...words.map((w) => w.box.x1)) };
    return { ...line, words, box };
  });
  const text = rebuiltText(page, (i, word) => (leaveOut.has(i) ? null : word)).replace(/^ +| +$/gm, '');
  return { ...page, lines, text };
}

/**
 * The page's text with each word (by index, in wordsOf's order) replaced by what `replace` gives,
 * or left out with the spaces before it when it gives null; all else as the engine joined it.
 */
function rebuiltText(page: OcrPage, replace: (index: number, word: string) => string | null): string {
  let text = '';
  let cursor = 0;
  wordsOf(page).forEach((word, index) => {
    // The text was joined from these same words in this order: each is found from where the last ended.
    const at = page.text.indexOf(word, cursor);
    if (at < 0) return;
    const replacement = replace(index, word);
    text += replacement === null ? page.text.slice(cursor, at).replace(/ +$/, '') : page.text.slice(cursor, at) + replacement;
    cursor = at + word.length;
  });
  return text + page.text.slice(cursor);
}

/**
 * The page without the lines `leaveOut` names (by index), out of its text too. Its confidence
 * stays the engine's for the whole reading: it is how well the page read (read-page.ts chooses
 * between preparations by it), and a reading with lines of gibberish did not read well.
 */
export function withoutLines(page: OcrPage, leaveOut: ReadonlySet<number>): OcrPage {
  if (leaveOut.size === 0) return page;
  let text = '';
  let copied = 0;
  let from = 0;
  page.lines.forEach((line, index) => {
    // The text was joined from these lines in this order: each is found from where the last ended.
    const lineText = line.words.map((word) => word.text).join(' ');
    const at = page.text.indexOf(lineText, from);
    if (at < 0) return;
    from = at + lineText.length;
    if (!leaveOut.has(index)) return;
    text += page.text.slice(copied, at);
    // The line's own break goes with it.
    copied = page.text[from] === '\n' ? from + 1 : from;
  });
  text = (text + page.text.slice(copied)).replace(/\n{3,}/g, '\n\n').trim();
  return { ...page, lines: page.lines.filter((_, index) => !leaveOut.has(index)), text };
}
