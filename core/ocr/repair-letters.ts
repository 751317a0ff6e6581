/**
 * One misread letter put back from the dictionary. Faint, blurred or speckled type makes the
 * engine read "Denartamento", "facuitativo", "púbiica", "objero", "Comencial"; a person reads the
 * word the page meant. A word is changed only when
 *   - it has five letters or more (nine when capitalised), one of them lower case, and the
 *     dictionary of the page's language (restore-accents.ts chooses it) does not know it as read;
 *   - exactly one common word that dictionary knows (in lower case: not a name) differs from it
 *     in one letter, in the same place (same length: the word's box stays valid);
 *   - that letter is not the capital a word starts with: names are what the dictionaries do not
 *     know, and one letter turns them into words ("Ocampo" → "Acampo", "Guemes" → "Quemes");
 *   - the word does not follow one that ends in a hyphen: it is the rest of a word broken across
 *     two lines ("-ilidade" is not "alidade").
 * Measured on 145 readings of the 27 hard pages (each page read from every preparation
 * ocr-input.ts makes, and as scanned): 45 readings better, 5 worse, none by more than a letter
 * (a word wrong in two letters made into another wrong word). With capitalised words from eight
 * letters, "Graciela" became "Gracieta" on six readings.
 */
import type { Lexicon } from './spelling-lexicon.js';
import { remembered, repairEachPart } from './word-parts.js';

const MIN_LETTERS = 5;
const MIN_CAPITALISED_LETTERS = 9;
/** What a misread letter may have been: the letters of Portuguese, Spanish and English. */
const LETTERS = [...'abcdefghijklmnopqrstuvwxyzáâãàéêíóôõúüçñ'];

export interface LetterRepair {
  /** The word with one misread letter put back, or as it was; `previous` is the word read before it. */
  repair(word: string, language: string, previous?: string): string;
}

/** Repairs words against one lexicon, remembering its answers (names and terms recur on every page). */
export function letterRepair(lexicon: Lexicon): LetterRepair {
  const repairPart = remembered((part, language) =>
    mayBeMisread(part) && !lexicon.knows(part, language) ? (onlyOneLetterAway(part, (w) => lexicon.knows(w, language)) ?? part) : part,
  );
  return {
    repair: (word, language, previous) => (previous?.endsWith('-') ? word : repairEachPart(word, (part) => repairPart(part, language))),
  };
}

/**
 * Long enough to be told from its neighbours, and not in capitals (acronyms, typed headings). A
 * capitalised word is longer still: names are short, and a short name is often a letter away from
 * a word ("Ocampo" from "ovampo").
 */
function mayBeMisread(part: string): boolean {
  const length = [...part].length;
  const capitalised = part[0] !== part[0]!.toLowerCase();
  return length >= (capitalised ? MIN_CAPITALISED_LETTERS : MIN_LETTERS) && /\p{Ll}/u.test(part) && part !== part.toUpperCase();
}

/** The one common word that differs from `part` in one letter (not a starting capital), or null. */
function onlyOneLetterAway(part: string, knows: (word: string) => boolean): string | null {
  const letters = [...part];
  let found: string | null = null;
  for (let i = 0; i < letters.length; i++) {
    const letter = letters[i]!;
    if (i === 0 && letter !== letter.toLowerCase()) continue;
    // Inside a word with small letters, a capital is itself a misreading ("IHustríssimo").
    for (const replacement of LETTERS) {
      if (replacement === letter) continue;
      const spelling = [...letters.slice(0, i), replacement, ...letters.slice(i + 1)].join('');
      // A common word, known in lower case: not one name turned into another ("Ocampo" → "Ovampo").
      if (!knows(spelling.toLowerCase())) continue;
      if (found !== null && found !== spelling) return null;
      found = spelling;
    }
  }
  return found;
}
