/**
 * What the engine makes of marks that are not text, left out of the text and the text layer.
 *
 * A line where the engine is this unsure of every word is what it makes of a signature, a stamp or
 * specks ("PITT)", "DESSES", at 0–4), not text: it is left out of the text and the text layer.
 * Measured with Tesseract on the samples and real-scans/: such lines scored 0–4, while the least
 * sure line of real text (one word alone, "archívese.") scored 23.
 */
export const NOISE_LINE_CONFIDENCE = 20;

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

export function isStrayMark(word: { text: string; confidence: number }): boolean {
  if (/[\p{L}\p{N}]/u.test(word.text)) return false;
  return word.text.includes('|') || word.confidence < STRAY_MARK_CONFIDENCE;
}
