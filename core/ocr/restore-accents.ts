/**
 * Accents the engine misread, put back from the dictionary: Tesseract reads "vacinacáo" for
 * "vacinação", "Servicos" for "Serviços", "providéncias" for "providências" on faint or noisy
 * type (on the hard pages, accents alone were 0.6 of Acervo's 5.5 points of character error, and
 * a third to a half of it on the lightly damaged ones: mimeograph 01, 1.06 % → 0.42 %). Each page is checked against the dictionary of its own language (the one that
 * knows most of its words: "nao" is Spanish, "Jose" English), and a word is changed only when
 *   - that dictionary does not know it as read,
 *   - exactly one word it knows differs from it only in accents, with the fewest changes (at most 3),
 *   - and that word leaves no accent out that the page's typist could have meant: an accent read
 *     is taken away only from an "í" (a speck over an i) or when another accent stays, so the older
 *     spellings that old records hold ("idéia", "freqüente", "sôbre", "fué"), unknown to today's
 *     dictionaries, are kept as typed.
 * Words in capitals are left alone on a page that shows none accented: many typewriters wrote
 * capitals without accents ("ASSUNCAO"), and acronyms are not words. Where the page does show
 * them (a word in capitals read with an accent its dictionary knows, "LOCAÇÃO"), its typist
 * accented capitals, and "MUNICIPIO" is "MUNICÍPIO" (photocopy 02 of the hard pages, 2.06 % →
 * 1.28 % with the ordinals' gender) — but only into a common word ("NELSON" stays, though the
 * dictionary holds "Nélson") and never inside a code ("12.345/86-SEC"). Same-length replacements
 * keep every word box valid.
 */
import type { OcrPage } from '../model.js';
import { withWords, wordsOf } from './page-words.js';
import { repairArticleHeadings } from './repair-article-headings.js';
import { numeroSign } from './repair-numero-sign.js';
import { repairOrdinals } from './repair-ordinals.js';
import { withoutSpeckPunctuation } from './repair-speck-punctuation.js';
import type { LetterRepair } from './repair-letters.js';
import { remembered, repairEachPart, wordParts } from './word-parts.js';
import type { Lexicon } from './spelling-lexicon.js';

/** The accented forms that may stand for each plain letter in Portuguese and Spanish. */
const ACCENTED: Readonly<Record<string, string>> = { a: 'áâãà', e: 'éê', i: 'í', o: 'óôõ', u: 'úü', c: 'ç', n: 'ñ' };

/** At most this many letters changed in one word, and this many spellings tried for it. */
const MAX_CHANGES = 3;
const MAX_TRIES = 2000;

export interface AccentRepair {
  /** The language of most of these words: the dictionary a page is checked against. */
  languageOf(words: readonly string[]): string;
  /** Whether the page these words come from shows accented capitals (see above). */
  accentsCapitals(words: readonly string[], language: string): boolean;
  /** The word with its accents put back, or as it was; a word in capitals only when `capitals`. */
  repair(word: string, language: string, capitals?: boolean): string;
  /** Whether the dictionary of `language` knows the word as written. */
  knows(word: string, language: string): boolean;
}

/** Repairs words against one lexicon, remembering its answers (names and terms recur on every page). */
export function accentRepair(lexicon: Lexicon): AccentRepair {
  const repairPart = remembered((part, language) =>
    isWord(part) && !lexicon.knows(part, language) ? (onlyAccentVariant(part, (w) => lexicon.knows(w, language)) ?? part) : part,
  );
  // A word in capitals becomes only a common word, known in small letters: "NELSON" is not "Nélson".
  const repairCapitals = remembered((part, language) =>
    isCapitals(part) && !lexicon.knows(part, language)
      ? (onlyAccentVariant(part, (w) => lexicon.knows(w.toLowerCase(), language)) ?? part)
      : repairPart(part, language),
  );
  return {
    languageOf(words) {
      const parts = words.flatMap((word) => wordParts(word)?.parts ?? []).filter(isWord).slice(0, 400);
      let best = { language: lexicon.languages[0]!, known: -1 };
      for (const language of lexicon.languages) {
        const known = parts.filter((part) => lexicon.knows(part, language)).length;
        if (known > best.known) best = { language, known };
      }
      return best.language;
    },
    accentsCapitals(words, language) {
      return words.some((word) => (wordParts(word)?.parts ?? []).some((part) => isCapitals(part) && isAccentedWord(part) && lexicon.knows(part, language)));
    },
    // A word with a digit is a code ("12.345/86-SEC"): its capitals stay as read.
    repair(word, language, capitals = false) {
      const repair = capitals && !/\p{N}/u.test(word) ? repairCapitals : repairPart;
      return repairEachPart(word, (part) => repair(part, language));
    },
    knows: (word, language) => lexicon.knows(word, language),
  };
}

/** Two letters or more, one of them lower case. */
function isWord(part: string): boolean {
  return part.length >= 2 && /\p{Ll}/u.test(part);
}

/** Three letters or more, all capitals. */
function isCapitals(part: string): boolean {
  return part.length >= 3 && !/\p{Ll}/u.test(part);
}

function isAccentedWord(part: string): boolean {
  return [...part].some(isAccented);
}

/** The one known word that differs from `part` only in accents, with the fewest changes; or null. */
function onlyAccentVariant(part: string, knows: (word: string) => boolean): string | null {
  const letters = [...part];
  const options = letters.map(accentOptions);
  const positions = options.flatMap((choices, index) => (choices.length > 0 ? [index] : []));
  let tries = 0;
  for (let changes = 1; changes <= Math.min(MAX_CHANGES, positions.length); changes++) {
    const found = new Set<string>();
    for (const chosen of combinations(positions, changes)) {
      for (const spelling of spellings(letters, options, chosen)) {
        if (!keepsTypedAccents(letters, spelling)) continue;
        if (++tries > MAX_TRIES) return null;
        if (knows(spelling)) found.add(spelling);
      }
    }
    if (found.size > 0) return found.size === 1 ? [...found][0]! : null;
  }
  return null;
}

/** What a letter may become: a plain letter any of its accented forms, an accented one another form. */
function accentOptions(letter: string): string[] {
  const lower = letter.toLowerCase();
  const base = lower.normalize('NFD')[0]!;
  const accented = ACCENTED[base];
  if (!accented || (lower !== base && !accented.includes(lower))) return [];
  const upper = letter !== lower;
  return [base, ...accented].filter((form) => form !== lower).map((form) => (upper ? form.toUpperCase() : form));
}

/**
 * An accent read is dropped only from an "í" or when the word keeps another accent: older
 * spellings differ from today's by an accent more ("idéia", "sôbre"), never by a plain letter.
 */
function keepsTypedAccents(letters: readonly string[], spelling: string): boolean {
  const spelled = [...spelling];
  const dropped = letters.some((letter, i) => isAccented(letter) && !isAccented(spelled[i]!) && letter.toLowerCase() !== 'í');
  return !dropped || spelled.some(isAccented);
}

function isAccented(letter: string): boolean {
  return letter.normalize('NFD').length > 1;
}

function* combinations(items: readonly number[], size: number, from = 0): Generator<number[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - size; i++) {
    for (const rest of combinations(items, size - 1, i + 1)) yield [items[i]!, ...rest];
  }
}

function* spellings(letters: readonly string[], options: readonly string[][], chosen: readonly number[], at = 0): Generator<string> {
  if (at === chosen.length) {
    yield letters.join('');
    return;
  }
  const position = chosen[at]!;
  const copy = [...letters];
  for (const form of options[position]!) {
    copy[position] = form;
    yield* spellings(copy, options, chosen, at + 1);
  }
}

/**
 * Each word repaired against the dictionary of the page's language (the words as wordsOf gives
 * them): the sign of número, the headings of articles and the ordinals' gender
 * (repair-numero-sign.ts, repair-article-headings.ts, repair-ordinals.ts), specks read as
 * punctuation at a word's end (repair-speck-punctuation.ts), its accents, then, when given, one
 * misread letter (repair-letters.ts).
 */
export function repairWords(words: readonly string[], accents: AccentRepair, letters?: LetterRepair): string[] {
  const language = accents.languageOf(words);
  const capitals = accents.accentsCapitals(words, language);
  const signed = repairOrdinals(repairArticleHeadings(words.map((word, i) => numeroSign(word, words[i + 1]))));
  const unspecked = withoutSpeckPunctuation(signed, (word) => accents.knows(word, language));
  return unspecked.map((word, i) => {
    const accented = accents.repair(word, language, capitals);
    return letters ? letters.repair(accented, language, words[i - 1]) : accented;
  });
}

export function restoreAccents(page: OcrPage, accents: AccentRepair): { page: OcrPage; restored: number } {
  return withWords(page, repairWords(wordsOf(page), accents));
}
