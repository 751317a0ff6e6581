/**
 * The OCR port. An engine reads words with boxes and confidences from a page image; it never
 * writes PDF (compose does).
 */
import type { OcrPage } from '../model.js';

/** An image prepared for recognition: an encoded PNG, plus its resolution for the engine's heuristics. */
export interface OcrInput {
  png: Buffer;
  dpi: number;
  /**
   * Read with the engine's own heavy noise removal (Tesseract's textord_heavy_nr): for a page with
   * more specks than marks of text (page-condition.ts). On any other page it costs the text its
   * full stops and accents.
   */
  removeNoise?: boolean;
}

/**
 * How far a page is turned: rotating the image clockwise by `degrees` makes it upright.
 * `confidence` is the engine's own score (Tesseract OSD: about 10–35 when sure, below 2 when not).
 */
export interface PageOrientation {
  degrees: 0 | 90 | 180 | 270;
  confidence: number;
}

export interface OcrEngine {
  /** Languages the engine was started with, e.g. ['por', 'spa', 'eng']. */
  readonly languages: readonly string[];
  /** How many pages it can read at once. */
  readonly concurrency: number;
  recognize(input: OcrInput): Promise<OcrPage>;
  /** The page's orientation, or null when the engine cannot tell (too little text). */
  detectOrientation(input: OcrInput): Promise<PageOrientation | null>;
  /**
   * How well the image reads as one block of horizontal text, as the mean word confidence
   * (0–100; null when no word was found). Text read upside down or sideways scores far lower
   * than text read upright: a second opinion when orientation detection is unsure.
   */
  readingConfidence(input: OcrInput): Promise<number | null>;
  /** Workers replaced after a crash or a hang, and pages tried a second time, since the start. */
  readonly counters: { replaced: number; retried: number };
  close(): Promise<void>;
}
