/**
 * Which of a page's readings is kept (read-page.ts). A reading known to be flawed is replaced by
 * one without the flaw unless that one is far less sure, and never the other way; between two
 * flawed or two sound readings, the surer decides. The flaws: the reading passed over lines of text
 * (skipped-text.ts: Tesseract took the lines under a coffee ring for a picture, sure of the rest),
 * or it read a pen's strokes across the lines as letters (handwriting.ts found them, and the
 * reading's preparation kept them: the solicitud's note read at 91.2, without it 91.0, 6.27 % of
 * characters wrong against 1.85 %). Confidence cannot see either: the words read are as sure as ever.
 */
import type { OcrPage } from '../model.js';

/** How much less sure a sound reading may be than a flawed one, and still replace it. */
export const NEARLY_AS_SURE = 5;

export function replacesReading(reading: OcrPage, kept: OcrPage, flawed: (reading: OcrPage) => boolean, surer: (reading: OcrPage, kept: OcrPage) => boolean): boolean {
  const [flaw, flawBefore] = [flawed(reading), flawed(kept)];
  if (flaw === flawBefore) return surer(reading, kept);
  return flawBefore && (reading.confidence ?? 0) >= (kept.confidence ?? 0) - NEARLY_AS_SURE;
}
