/**
 * Specks read as punctuation at the end of a word, where the language puts none: a speck beside
 * the last letter reads as ".", ",", ":" or a quote mark ("de, abril", "negativa. do. INPS", "na’
 * sala"). Two places are certain enough to mend:
 *   - after an article or a preposition in small letters ("de", "do", "na", "pelo", "del", "los")
 *     with a word after it: those never end a phrase. Conjunctions are left alone ("que, no
 *     caso", "e, por fim" are typed so), and so are "a", "e" and "y", which label lists ("a.");
 *   - a full stop after a word of four letters or more, in small letters and known to the page's
 *     dictionary, when the next word begins in small letters: a sentence ends there or the word
 *     is an abbreviation ("art.", "fls.", "dez." are shorter, and unknown as words).
 * Measured on the 27 hard pages: the heavily speckled ata 10.04 % → 9.31 % of characters wrong,
 * the carbon under specks 3.38 % → 3.28 %; no other page changed, nor the bundled samples.
 */

/** Articles and prepositions, with their contractions, of Portuguese and Spanish. */
const NEVER_BEFORE_PUNCTUATION = new Set(
  'o os as à às ao aos de da do das dos na no nas nos em um uma uns umas pela pelo pelas pelos num numa del el la las los en al'.split(' '),
);
const TRAILING_MARKS = /^(\p{Ll}+)([.,:;'’”"]+)$/u;
const FULL_STOP = /^(\p{Ll}{4,})\.$/u;

/** The words with speck punctuation taken off their ends; `knows` says whether the page's dictionary knows a word. */
export function withoutSpeckPunctuation(words: readonly string[], knows: (word: string) => boolean): string[] {
  return words.map((word, i) => {
    const next = words[i + 1];
    if (!next) return word;
    const marked = TRAILING_MARKS.exec(word);
    if (marked && NEVER_BEFORE_PUNCTUATION.has(marked[1]!) && /^[\p{L}\p{N}(]/u.test(next)) return marked[1]!;
    const stopped = FULL_STOP.exec(word);
    if (stopped && /^\p{Ll}/u.test(next) && knows(stopped[1]!)) return stopped[1]!;
    return word;
  });
}
