/**
 * An OCR engine that reads what a test wrote for it instead of running Tesseract (as OCRmyPDF's
 * test plugins do): everything around it — decoding, cleaning, splitting, composing, metadata —
 * runs for real, in milliseconds. The script is a function of the image the engine is handed;
 * a test tells its pages apart by something cleaning keeps, such as the image's width (a page
 * between 100 and 450 DPI, upright and straight, is read at its own size: clean/ocr-input.ts).
 */
import { AppError } from '../errors.js';
import type { OcrLine, OcrPage } from '../model.js';
import type { OcrEngine, OcrInput, PageOrientation } from './ocr-engine.js';

/** The image the engine was handed, as a script sees it. */
export interface ScriptedImage {
  width: number;
  height: number;
  dpi: number;
}

/**
 * What a page reads: its text (lines at '\n', words at spaces; '' reads nothing), how surely
 * (95 unless told: clearly upright, no second reading), after how long; or an error to fail with.
 */
export type ScriptedReading = string | { text: string; confidence?: number; afterMs?: number } | Error;

export interface ScriptedEngineOptions {
  languages?: readonly string[];
  concurrency?: number;
  /** Orientation detection's answer; upright and sure unless told. */
  orientation?: (image: ScriptedImage) => PageOrientation | null;
  /** How well a band of the page reads as horizontal text; clearly (90) unless told. */
  readingConfidence?: (image: ScriptedImage) => number | null;
}

/** Confidence of a scripted reading that does not say its own: above read-page.ts's POOR_READING. */
export const SCRIPTED_CONFIDENCE = 95;

export class ScriptedEngine implements OcrEngine {
  readonly languages: readonly string[];
  readonly concurrency: number;
  readonly counters = { replaced: 0, retried: 0 };
  /** Every image recognize() was handed, in the order it was. */
  readonly recognized: ScriptedImage[] = [];

  constructor(
    private readonly script: (image: ScriptedImage) => ScriptedReading,
    private readonly options: ScriptedEngineOptions = {},
  ) {
    this.languages = options.languages ?? ['por'];
    this.concurrency = options.concurrency ?? 1;
  }

  async recognize(input: OcrInput): Promise<OcrPage> {
    const image = scriptedImage(input);
    this.recognized.push(image);
    const reading = this.script(image);
    if (reading instanceof Error) throw reading;
    const { text, confidence = SCRIPTED_CONFIDENCE, afterMs = 0 } = typeof reading === 'string' ? { text: reading } : reading;
    if (afterMs > 0) await new Promise((resolve) => setTimeout(resolve, afterMs));
    return laidOut(text, confidence, image);
  }

  async detectOrientation(input: OcrInput): Promise<PageOrientation | null> {
    return this.options.orientation ? this.options.orientation(scriptedImage(input)) : { degrees: 0, confidence: 30 };
  }

  async readingConfidence(input: OcrInput): Promise<number | null> {
    return this.options.readingConfidence ? this.options.readingConfidence(scriptedImage(input)) : 90;
  }

  async close(): Promise<void> {}
}

/** The size of a PNG, from its header (every OcrInput is a PNG). */
export function scriptedImage(input: OcrInput): ScriptedImage {
  const png = input.png;
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new AppError('INTERNAL', 'The scripted OCR engine was handed an image that is not a PNG.');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), dpi: input.dpi };
}

/** The text as lines of words down the image, in its pixel space, as an engine would box them. */
function laidOut(text: string, confidence: number, image: ScriptedImage): OcrPage {
  const rows = text.split('\n').map((row) => row.split(/\s+/).filter(Boolean)).filter((words) => words.length > 0);
  if (rows.length === 0) return { lines: [], text: '', confidence: null };
  const longest = Math.max(...rows.map((words) => words.join(' ').length));
  const lineHeight = Math.max(1, Math.min(40, Math.floor(image.height / (rows.length + 2))));
  const charWidth = Math.max(1, Math.min(lineHeight / 2, (image.width * 0.8) / longest));
  const lines: OcrLine[] = rows.map((words, row) => {
    const y0 = Math.round(lineHeight * (row + 1));
    const y1 = y0 + Math.round(lineHeight * 0.8);
    let x = Math.round(image.width * 0.1);
    return {
      box: { x0: x, y0, x1: Math.round(x + charWidth * words.join(' ').length), y1 },
      textSize: lineHeight * 0.8,
      words: words.map((word) => {
        const box = { x0: Math.round(x), y0, x1: Math.round(x + charWidth * word.length), y1 };
        x += charWidth * (word.length + 1);
        return { text: word, box, confidence };
      }),
    };
  });
  return { lines, text: rows.map((words) => words.join(' ')).join('\n'), confidence };
}
