/**
 * Words typed with spaced letters, as typewritten headings were (`D E C R E T O  Nº 345`,
 * `R E S U E L V E :`), closed up: in a line with three or more single capitals one space apart,
 * each such run (two letters or more) makes one word. Lower-case single letters are the words
 * "a", "e", "o", and stay apart.
 */

/** Three or more set the line's style; then the short words of it are spaced too (`D E`). */
const SPACED_LINE = /(?<![\p{L}\p{N}])\p{Lu}(?: \p{Lu}){2,}(?![\p{L}\p{N}])/u;
const SPACED_RUN = /(?<![\p{L}\p{N}])\p{Lu}(?: \p{Lu})+(?![\p{L}\p{N}])/gu;

export function closeLetterSpacing(line: string): string {
  if (!SPACED_LINE.test(line)) return line;
  return line.replace(SPACED_RUN, (spaced) => spaced.replaceAll(' ', ''));
}

/**
 * The whole text closed up line by line, with where each of its characters stood in the original,
 * so what is found in it is reported at its place as written.
 */
export function closeLetterSpacingMapped(text: string): { text: string; origin: (index: number) => number } {
  if (!SPACED_LINE.test(text)) return { text, origin: (index) => index };
  const pieces: string[] = [];
  // For each space taken out, how long the output was then: a character's place in the original is
  // its place in the output plus the spaces taken out before it.
  const removedAt: number[] = [];
  let length = 0;
  for (const line of text.split('\n')) {
    let from = 0;
    if (SPACED_LINE.test(line)) {
      for (const run of line.matchAll(SPACED_RUN)) {
        const closed = run[0].replaceAll(' ', '');
        pieces.push(line.slice(from, run.index), closed);
        length += run.index - from;
        for (let i = 1; i < closed.length; i++) removedAt.push(length + i);
        length += closed.length;
        from = run.index + run[0].length;
      }
    }
    pieces.push(line.slice(from), '\n');
    length += line.length - from + 1;
  }
  const origin = (index: number) => {
    let low = 0;
    let high = removedAt.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (removedAt[mid]! <= index) low = mid + 1;
      else high = mid;
    }
    return index + low;
  };
  return { text: pieces.join('').slice(0, -1), origin };
}
