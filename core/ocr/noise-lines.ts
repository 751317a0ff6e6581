/**
 * A line where the engine is this unsure of every word is what it makes of a signature, a stamp or
 * specks ("PITT)", "DESSES", at 0–4), not text: it is left out of the text and the text layer.
 * Measured with Tesseract on the samples and real-scans/: such lines scored 0–4, while the least
 * sure line of real text (one word alone, "archívese.") scored 23.
 */
export const NOISE_LINE_CONFIDENCE = 20;

export function isNoiseLine(words: ReadonlyArray<{ confidence: number }>): boolean {
  return words.length > 0 && words.every((w) => w.confidence < NOISE_LINE_CONFIDENCE);
}
