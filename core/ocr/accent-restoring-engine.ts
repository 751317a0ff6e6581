/**
 * An OCR engine whose readings are mended with the dictionaries: the signs of número and
 * ordinals, articles' headings, misread accents and single letters put back (restore-accents.ts's
 * repairWords), then gibberish left out, whole lines and parts of lines (noise-lines.ts). It
 * wraps any engine, so the scripted engine of the fast tests stays as it is. The dictionaries
 * live on a thread of their own (accent-thread.ts), started as the first page is read (loading
 * them, about a second, overlaps that reading), so a command that reads nothing does not pay for
 * them. If the thread fails, the page keeps the words as the engine read them.
 */
import { Worker } from 'node:worker_threads';
import { threadScript } from '../thread-script.js';
import type { OcrPage } from '../model.js';
import type { AccentReply, AccentRequest, AccentThreadData, RepairedWords } from './accent-thread.js';
import { gibberishWords } from './noise-lines.js';
import type { OcrEngine, OcrInput } from './ocr-engine.js';
import { withoutLines, withoutWords, withWords, wordsOf } from './page-words.js';

export function withAccentsRestored(engine: OcrEngine): OcrEngine {
  const dictionaries = new DictionaryThread(engine.languages);
  return {
    get languages() {
      return engine.languages;
    },
    get concurrency() {
      return engine.concurrency;
    },
    get counters() {
      return engine.counters;
    },
    async recognize(input: OcrInput) {
      dictionaries.warm();
      const page = await engine.recognize(input);
      const reading = await dictionaries.repair(wordsOf(page));
      return reading ? withoutGibberish(markedKnown(withWords(page, reading.words).page, reading.knownInPageLanguage), reading.known) : page;
    },
    detectOrientation: (input) => engine.detectOrientation(input),
    readingConfidence: (input) => engine.readingConfidence(input),
    close: async () => {
      await dictionaries.close();
      await engine.close();
    },
  };
}

/** Each word marked with whether the page's dictionary knows it as mended (`known`, in wordsOf's order). */
function markedKnown(page: OcrPage, known: readonly boolean[]): OcrPage {
  let index = 0;
  return { ...page, lines: page.lines.map((line) => ({ ...line, words: line.words.map((word) => ({ ...word, known: known[index++] ?? false })) })) };
}

/**
 * The page without its gibberish (noise-lines.ts), judged on its repaired words: whole lines, and
 * the parts of a line far from its text.
 */
function withoutGibberish(page: OcrPage, known: readonly boolean[]): OcrPage {
  const lines = new Set<number>();
  const words = new Set<number>();
  let first = 0;
  page.lines.forEach((line, lineIndex) => {
    const judged = line.words.map((word, i) => ({ ...word, known: known[first + i] ?? true }));
    const gibberish = gibberishWords(judged, line.textSize);
    if (gibberish.length > 0 && gibberish.length === line.words.length) lines.add(lineIndex);
    else for (const i of gibberish) words.add(first + i);
    first += line.words.length;
  });
  // Words first: leaving no line out, they keep the lines' indices.
  return withoutLines(withoutWords(page, words), lines);
}

class DictionaryThread {
  private worker: Worker | null = null;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, (reading: RepairedWords | null) => void>();

  constructor(private readonly languages: readonly string[]) {}

  /** Starts loading the dictionaries, if they are not loaded or failing. */
  warm(): void {
    if (!this.failed) this.start();
  }

  /** The words repaired, or null when they cannot be (no dictionary, or the thread failed). */
  repair(words: string[]): Promise<RepairedWords | null> {
    if (words.length === 0 || this.failed) return Promise.resolve(null);
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      // Held while a page waits on it: a draining process (watch on SIGTERM) must not exit mid-page.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, resolve);
      worker.postMessage({ id, words } satisfies AccentRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(threadScript(import.meta.url, 'accent-thread'), { workerData: { languages: [...this.languages] } satisfies AccentThreadData });
    // Idle, it never keeps a finished command alive.
    worker.unref();
    worker.on('message', ({ id, reading }: AccentReply) => {
      this.pending.get(id)?.(reading);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
    });
    const fail = () => {
      this.failed = true;
      this.worker = null;
      for (const resolve of this.pending.values()) resolve(null);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failed = true;
    if (worker) await worker.terminate();
  }
}

