/**
 * A page read more than once (read-page.ts: its other preparations, when the first reading was
 * poor) keeps its surest reading, mended word by word from the others, as a person compares two
 * poor copies of one page: where the kept reading is unsure of a word the dictionary does not know
 * ("whens", "Conunicanos", "consideragho.") and another reading has a word it knows in the same
 * place, clearly surer, that word is taken. A word the dictionary knows is replaced only by a sure
 * one far surer ("narra" at 49 by "compensadas" at 96), and never by one differing from it only in
 * accents (the accent repair decides those). Numbers, amounts and codes are never replaced:
 * no dictionary tells a misread digit.
 *
 * Measured on the 27 hard pages (those read more than once): speckle 01 2.62 % → 1.14 % of
 * characters wrong, the carbon under speckle 3.28 % → 2.77 %, carbon 01 1.30 % → 1.10 %, speckle 03
 * 9.31 % → 8.85 %, photocopy 03 3.89 % → 3.80 %; no page worse. Lower bars cost: a known word
 * replaced at 30 points surer made the twice-photocopied decreto's "DE" a "DS"; a sure word at 80
 * made carbon 01's "(Córrego" "“arrego"; with codes allowed, a dot-matrix "NCZ$" became "NOS".
 */
import type { OcrPage, OcrWord } from '../model.js';
import { overlapRatio } from '../rectangles.js';
import { folded, wordParts } from './word-parts.js';
import { withWords } from './page-words.js';

/** Words the kept reading is less sure of than this may be taken from another. */
const UNSURE_WORD = 80;
/** How much surer another reading's word must be to replace one the dictionary does not know. */
const SURER_THAN_UNKNOWN = 15;
/** …and to replace one it knows: far surer, and sure. */
const SURER_THAN_KNOWN = 40;
const SURE_WORD = 85;
/** Two words are in the same place when their boxes overlap by more than this (intersection over union). */
const SAME_PLACE = 0.5;

export function mergeReadings(kept: OcrPage, others: readonly OcrPage[]): { page: OcrPage; merged: number } {
  const candidates = others.flatMap((page) => page.lines.flatMap((line) => line.words)).filter(mayReplace);
  if (candidates.length === 0) return { page: kept, merged: 0 };
  const words = kept.lines.flatMap((line) => line.words);
  const taken = new Map<number, OcrWord>();
  words.forEach((word, index) => {
    if (!mayBeReplaced(word)) return;
    let best: OcrWord | null = null;
    for (const other of candidates) {
      if (overlapRatio(word.box, other.box) > SAME_PLACE && replaces(other, word) && (!best || other.confidence > best.confidence)) best = other;
    }
    if (best && best.text !== word.text) taken.set(index, best);
  });
  if (taken.size === 0) return { page: kept, merged: 0 };
  const texts = words.map((word, index) => taken.get(index)?.text ?? word.text);
  const { page } = withWords(kept, texts);
  let index = 0;
  const lines = page.lines.map((line) => ({
    ...line,
    words: line.words.map((word) => {
      const other = taken.get(index++);
      return other ? { ...word, confidence: other.confidence, known: true } : word;
    }),
  }));
  return { page: { ...page, lines }, merged: taken.size };
}

/** An unsure word of letters the dictionary judged. */
function mayBeReplaced(word: OcrWord): boolean {
  return word.confidence < UNSURE_WORD && word.known !== undefined && isWordOfLetters(word.text);
}

/** A word of letters the dictionary knows. */
function mayReplace(word: OcrWord): boolean {
  return word.known === true && isWordOfLetters(word.text);
}

/** Letters between punctuation: a word with a digit or a currency sign is a number or a code. */
function isWordOfLetters(text: string): boolean {
  return !/[\p{N}\p{Sc}]/u.test(text) && wordParts(text) !== null;
}

function replaces(other: OcrWord, word: OcrWord): boolean {
  if (!word.known) return other.confidence >= word.confidence + SURER_THAN_UNKNOWN;
  return other.confidence >= Math.max(SURE_WORD, word.confidence + SURER_THAN_KNOWN) && folded(other.text) !== folded(word.text);
}
