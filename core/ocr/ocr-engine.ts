/**
 * The OCR port. An engine reads words with boxes and confidences from a page image; it never
 * writes PDF (compose does).
 */
import type { OcrPage } from '../model.js';

/** An image prepared for recognition: an encoded PNG, plus its resolution for the engine's heuristics. */
export interface OcrInput {
  png: Buffer;
  dpi: number;
}

export interface OcrEngine {
  /** Languages the engine was started with, e.g. ['por', 'spa', 'eng']. */
  readonly languages: readonly string[];
  /** How many pages it can read at once. */
  readonly concurrency: number;
  recognize(input: OcrInput): Promise<OcrPage>;
  close(): Promise<void>;
}
