/**
 * Whether a PDF page's own text is worth keeping instead of OCR. Broken fonts without a usable
 * Unicode map extract as strings of unrelated symbols (CJK ideographs from byte-swapped codes,
 * private-use glyphs); a page number alone is not a text layer either.
 */

const MIN_READABLE_CHARACTERS = 20;
const MIN_READABLE_SHARE = 0.7;

/** Letters of the scripts Acervo reads, digits and ordinary punctuation. */
const READABLE = /[\p{Script=Latin}\p{Nd}\p{P}]/u;

export function isRealText(text: string): boolean {
  let readable = 0;
  let total = 0;
  for (const char of text) {
    if (/\s/u.test(char)) continue;
    total++;
    if (READABLE.test(char)) readable++;
  }
  return readable >= MIN_READABLE_CHARACTERS && readable / total >= MIN_READABLE_SHARE;
}
