/**
 * What the engine makes of marks that are not text, left out of the text and the text layer.
 *
 * A line where the engine is this unsure of every word is what it makes of a signature, a stamp or
 * specks ("PITT)", "DESSES", at 0–4), not text: it is left out of the text and the text layer.
 * Measured with Tesseract on the samples and real-scans/: such lines scored 0–4, while the least
 * sure line of real text (one word alone, "archívese.") scored 23.
 */
export const NOISE_LINE_CONFIDENCE = 20;

/**
 * The revision of what the engine leaves out of its reading (isNoiseLine, isStrayMark) and of how
 * it reads leaders (dot-leaders.ts), part of a cached reading's identity (readings-cache.ts): raise
 * it when any changes, so that readings kept by the old rules are read again.
 */
export const READING_FILTER_RULES = 3;

export function isNoiseLine(words: ReadonlyArray<{ confidence: number }>): boolean {
  return words.length > 0 && words.every((w) => w.confidence < NOISE_LINE_CONFIDENCE);
}

/**
 * A lone mark read as a "word" of punctuation alone: a vertical bar (typewriters had no such key:
 * it is a rule, a fold, a column of specks, a margin's edge), or any other punctuation the engine
 * is unsure of (specks read as ":", "'", ">", "-"). Typed punctuation that stands alone ("-" in
 * "Art. 1º - Fica") reads surely. Measured on 145 readings of the 27 hard pages (each read from
 * every preparation): 322 such marks dropped, 60 readings better and 4 worse, character error
 * 11.73% → 11.28% on average.
 */
export const STRAY_MARK_CONFIDENCE = 50;

/**
 * A lone mark of the shapes specks read as (".", ":", "'", "”", "*", "¢", "=", "+.", "-."), not
 * read surely, is a speck too. Typed text stands such marks alone almost never: the truths of the
 * 27 hard pages and the bundled samples hold lone dashes, "%", "&", "§" and dot leaders, and no
 * other; the readings of the hard pages (every preparation) held 164 such marks, read at 50 to
 * 92, the bundled samples' none.
 * Dashes, "%", "&", "§", "/" and runs of three dots or more (leaders, an ellipsis) stay.
 */
export const SPECK_MARK_CONFIDENCE = 93;
const SPECK_SHAPED = /^[-–—.,:;'’‘"“”`´~^°¢€®©*=<>{}()+_¿¡]+$/u;

export function isStrayMark(word: { text: string; confidence: number }): boolean {
  if (/[\p{L}\p{N}]/u.test(word.text)) return false;
  return word.text.includes('|') || word.confidence < STRAY_MARK_CONFIDENCE;
}

/**
 * Left out of the text like a stray mark, but still counted in the page's confidence: a reading
 * full of specks is a poor one, and the page's other preparations are read as before (without
 * them, the photocopy 02 of the hard pages scored 91.0 unrepaired, over POOR_READING, and its
 * stroke-repaired reading, 1.28 % against 2.75 %, was never made).
 */
export function isSpeckMark(word: { text: string; confidence: number }): boolean {
  return word.confidence < SPECK_MARK_CONFIDENCE && SPECK_SHAPED.test(word.text) && !/^[-–—]+$/u.test(word.text) && !/\.{3}/u.test(word.text);
}

/**
 * A line of gibberish: what the engine makes of the back of a thin sheet showing through (mirrored
 * type reads "OADAXLIIAJRIA AA\" HOT? O ANMAOIV"), of specks in a row or of a smudge. Most of its
 * characters are in words the engine was unsure of (under 40) that no dictionary of the page's
 * languages knows, and no word of three letters or more on it is both known and read surely.
 * A line of one or two words is never judged so: a faint closing word alone on its line
 * ("archívese.", unknown to the Spanish dictionary, read at 23) is text, and so is a name.
 * Only a page read with dictionaries is judged so (accent-restoring-engine.ts), after its words
 * were repaired. Measured on 145 readings of the 27 hard pages: the show-through page
 * bleed-through/02 6.01% → 2.04% of characters wrong, no chosen reading worse.
 */
export const GIBBERISH_WORD_CONFIDENCE = 40;
const GIBBERISH_SHARE = 0.6;
const GIBBERISH_MIN_WORDS = 3;

export interface JudgedWord {
  text: string;
  confidence: number;
  /** Whether a dictionary of the page's languages knows the word (words with digits are not known). */
  known: boolean;
}

export function isGibberishLine(words: readonly JudgedWord[]): boolean {
  if (words.length < GIBBERISH_MIN_WORDS) return false;
  let characters = 0;
  let unsureUnknown = 0;
  for (const word of words) {
    const length = [...word.text].length;
    characters += length;
    if (word.known && word.confidence >= GIBBERISH_WORD_CONFIDENCE && letterCount(word.text) >= 3) return false;
    if (!word.known && word.confidence < GIBBERISH_WORD_CONFIDENCE) unsureUnknown += length;
  }
  return characters > 0 && unsureUnknown >= GIBBERISH_SHARE * characters;
}

/**
 * A gap between words wider than this many times the line's text height parts the line: the back
 * of a sheet read through it often joins a typed line's end ("Nestes termos, es 12049 9b lso:",
 * the junk 270 px to the right of words 38 px apart, at a text height of 47). On the 27 hard pages
 * that page went 2.04% → 0.00% of characters wrong, and no other page changed.
 */
export const PART_GAP = 3;

/**
 * The words of a line that are gibberish: all of them when the line is, else those of each part
 * of it (split at gaps wider than PART_GAP text heights) that is, judged as a line of its own.
 * Indices into `words`.
 */
export function gibberishWords(words: readonly (JudgedWord & { box: { x0: number; x1: number } })[], textSize: number | undefined): number[] {
  const all = words.map((_, index) => index);
  if (isGibberishLine(words)) return all;
  if (!textSize) return [];
  const parts: number[][] = [];
  for (const index of all) {
    const previous = words[index - 1];
    if (!previous || words[index]!.box.x0 - previous.box.x1 > PART_GAP * textSize) parts.push([index]);
    else parts[parts.length - 1]!.push(index);
  }
  if (parts.length === 1) return [];
  return parts.filter((part) => isGibberishLine(part.map((index) => words[index]!))).flat();
}

function letterCount(text: string): number {
  return text.replace(/[^\p{L}]/gu, '').length;
}
