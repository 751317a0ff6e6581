/**
 * The headings of a statute's articles ("Art. 2º Designar…", "Artículo 1º.– Fíjase…") mended where
 * the engine misread their marks, from what articles are: numbered one after another, and each
 * starting a sentence.
 *   - The º of an article's number read as a 2 ("Artículo 12.–" for "1º.–", "22.–" for "2º.–"):
 *     put back where the sequence says so, the number without its last 2 being the one after the
 *     previous article's and the number as read not. The first article of a page counts from 1
 *     only when the next article confirms it, so "Art. 12" after "Art. 11" stays 12.
 *   - The period that ends the sentence before a heading read as a comma ("…de 1999, Art. 2º
 *     Designar"): a heading starts a sentence. A heading is an article word, its number and a
 *     capitalised word; "no Art. 5º, Art. 6º e 7º" (articles cited) has none and is left alone.
 * On the hard pages: bleed-through 03 1.21 % → 0.91 % (with the ordinals' gender), phone-photo 01
 * 0.22 % → 0.11 %.
 */
import { folded } from './word-parts.js';

/** The words that head an article (folded: word-parts.ts), after which a number is the article's. */
const ARTICLE = /^(art|artigo|articulo)$/;

/** An article's number as read: its digits, its sign (if any) and the punctuation after it. */
const ARTICLE_NUMBER = /^(\d{1,3})([º°]?)(\p{P}*)$/u;

/** `words` (a page's, in reading order) with their articles' headings mended. */
export function repairArticleHeadings(words: readonly string[]): string[] {
  const headings: number[] = [];
  words.forEach((word, i) => {
    if (i > 0 && ARTICLE.test(folded(words[i - 1])) && ARTICLE_NUMBER.test(word)) headings.push(i);
  });
  const out = [...words];
  let previous: number | null = null;
  headings.forEach((at, k) => {
    const [, digits, sign, tail] = ARTICLE_NUMBER.exec(words[at]!)!;
    const asRead = Number(digits);
    const signRead = digits!.length > 1 && digits!.endsWith('2') && !sign ? Number(digits!.slice(0, -1)) : null;
    const expected = previous === null ? (readsAsSecond(words, headings[k + 1]) ? 1 : null) : previous + 1;
    if (signRead !== null && signRead === expected && asRead !== expected) {
      out[at] = `${signRead}º${tail}`;
      previous = signRead;
    } else previous = asRead;
    const before = at - 2;
    if (before >= 0 && /[^,],$/u.test(out[before]!) && /^\p{Lu}/u.test(words[at + 1] ?? '')) out[before] = `${out[before]!.slice(0, -1)}.`;
  });
  return out;
}

/** Whether the article at `at` reads as the second: "2º", "2", or "22" for "2º". */
function readsAsSecond(words: readonly string[], at: number | undefined): boolean {
  if (at === undefined) return false;
  const number = ARTICLE_NUMBER.exec(words[at]!);
  return number !== null && (number[1] === '2' || (number[1] === '22' && !number[2]));
}
