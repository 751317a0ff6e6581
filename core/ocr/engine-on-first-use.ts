/**
 * An OCR engine started by the first page that needs it. Most runs of a nightly ingest or a hot
 * folder find nothing new, and starting Tesseract (its WebAssembly and every language's model)
 * costs about a second of CPU and ~200 MB for nothing. A run that has pages to read pays it at its
 * first page instead; an engine that cannot start still stops the run there, with its
 * DEPENDENCY_MISSING (a fatal error: ingest-file.ts never records it against the document).
 */
import type { OcrEngine } from './ocr-engine.js';

export function engineOnFirstUse(languages: readonly string[], concurrency: number, start: () => Promise<OcrEngine>): OcrEngine {
  let starting: Promise<OcrEngine> | null = null;
  let started: OcrEngine | null = null;
  const engine = (): Promise<OcrEngine> => {
    // One start for every page waiting on it; a failed start is the answer for every page after.
    starting ??= start().then((ready) => (started = ready));
    return starting;
  };
  return {
    languages,
    concurrency,
    recognize: async (input) => (await engine()).recognize(input),
    detectOrientation: async (input) => (await engine()).detectOrientation(input),
    readingConfidence: async (input) => (await engine()).readingConfidence(input),
    get counters() {
      return started?.counters ?? { replaced: 0, retried: 0 };
    },
    close: async () => {
      if (!starting) return;
      // A start still under way is waited for, so its workers do not outlive the run.
      const ready = await starting.catch(() => null);
      await ready?.close();
    },
  };
}
