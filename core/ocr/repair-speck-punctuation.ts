/**
 * Specks read as punctuation where the language puts none: a speck beside a word's last letter
 * reads as ".", ",", ":" or a quote mark ("de, abril", "negativa. do. INPS", "na’ sala"), one before
 * its first letter as an opening quote ("‘segunda", "“Abertas"). Three places are certain enough
 * to mend:
 *   - after an article or a preposition in small letters ("de", "do", "na", "pelo", "del", "los")
 *     with a word after it: those never end a phrase. Conjunctions are left alone ("que, no
 *     caso", "e, por fim" are typed so), and so are "a", "e" and "y", which label lists ("a.");
 *   - a full stop after a word of four letters or more known to the page's dictionary, in small
 *     letters or with a capital first ("Permanente."), or in brackets ("(cinco)."), when the next
 *     word begins in small letters: a sentence ends there or the word is an abbreviation ("art.",
 *     "fls.", "dez." are shorter, and unknown as words);
 *   - a quote mark that opens nothing or closes nothing: an opening one (“ ‘ « ") with no closing
 *     one (” » ") in the next 40 words before another opens, a closing one with no opening one in
 *     the 40 words before it. A quotation typed on the page is closed ("“Jardim das Acácias”").
 * Measured on the 27 hard pages: the heavily speckled ata 10.04 % → 9.31 % of characters wrong,
 * the carbon under specks 3.38 % → 3.28 % (the first two kinds); with capitalised and bracketed
 * words and lone quote marks, the ata 8.85 % → 8.21 %, photocopy 03 3.80 % → 3.70 %, stains 02
 * 0.94 % → 0.84 %, stamps 02 0.75 % → 0.63 %; no page worse, the bundled samples unchanged.
 */

/** Articles and prepositions, with their contractions, of Portuguese and Spanish. */
const NEVER_BEFORE_PUNCTUATION = new Set(
  'o os as à às ao aos de da do das dos na no nas nos em um uma uns umas pela pelo pelas pelos num numa del el la las los en al'.split(' '),
);
const TRAILING_MARKS = /^(\p{Ll}+)([.,:;'’”"]+)$/u;
/** A word, possibly capitalised, possibly in brackets, and its full stop (four letters at least: see above). */
const FULL_STOP = /^(\(?)(\p{Lu}?\p{Ll}{3,})(\)?)\.$/u;
const OPENING_QUOTE = /^[“‘«"]/u;
/** Closing marks taken off when they close nothing: not "’", which also ends an elision or a possessive. */
const CLOSING_QUOTE = /[”»"][.,;:!?)]*$/u;
/** …and the marks that close a quotation, "’" too ("‘Jardim’"). */
const ENDS_QUOTATION = /[”»"’][.,;:!?)]*$/u;
/** How far a quotation may run, in words. */
const QUOTATION_WORDS = 40;

/** The words with speck punctuation taken off; `knows` says whether the page's dictionary knows a word. */
export function withoutSpeckPunctuation(words: readonly string[], knows: (word: string) => boolean): string[] {
  const ends = words.map((word, i) => {
    const next = words[i + 1];
    if (!next) return word;
    const marked = TRAILING_MARKS.exec(word);
    if (marked && NEVER_BEFORE_PUNCTUATION.has(marked[1]!) && /^[\p{L}\p{N}(]/u.test(next)) return marked[1]!;
    const stopped = FULL_STOP.exec(word);
    if (stopped && stopped[2]!.length >= 4 && stopped[1]!.length === stopped[3]!.length && /^\p{Ll}/u.test(next) && knows(stopped[2]!)) return word.slice(0, -1);
    return word;
  });
  return withoutLoneQuotes(ends);
}

/** Quote marks that open or close nothing taken off (a word that is only a quote mark stays: noise-lines.ts judges it). */
function withoutLoneQuotes(words: readonly string[]): string[] {
  const opens = (word: string) => word.length > 1 && OPENING_QUOTE.test(word);
  const closes = (word: string, marks = CLOSING_QUOTE) => word.length > 1 && marks.test(word) && !(word.length === 2 && opens(word));
  const closedAfter = (i: number) => {
    for (let j = i; j < Math.min(words.length, i + QUOTATION_WORDS); j++) {
      if (closes(words[j]!, ENDS_QUOTATION)) return true;
      if (j > i && opens(words[j]!)) return false;
    }
    return false;
  };
  const openedBefore = (i: number) => {
    for (let j = i; j > Math.max(-1, i - QUOTATION_WORDS); j--) {
      if (opens(words[j]!)) return true;
      if (j < i && closes(words[j]!)) return false;
    }
    return false;
  };
  return words.map((word, i) => {
    let mended = word;
    if (opens(word) && !closedAfter(i)) mended = mended.slice(1);
    if (closes(word) && !openedBefore(i)) mended = mended.replace(/[”»"]([.,;:!?)]*)$/u, '$1');
    return mended;
  });
}
