/**
 * An OCR engine whose readings have their misread accents put back (restore-accents.ts). It wraps
 * any engine, so the scripted engine of the fast tests stays as it is. The dictionaries live on a
 * thread of their own (accent-thread.ts), started as the first page is read (loading them, about a
 * second, overlaps that reading), so a command that reads nothing does not pay for them. Restoring accents only improves a reading: if the thread fails,
 * the page keeps the words as the engine read them.
 */
import { Worker } from 'node:worker_threads';
import { threadScript } from '../thread-script.js';
import type { AccentReply, AccentRequest, AccentThreadData } from './accent-thread.js';
import type { OcrEngine, OcrInput } from './ocr-engine.js';
import { withWords, wordsOf } from './restore-accents.js';

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
      const repaired = await dictionaries.repair(wordsOf(page));
      return repaired ? withWords(page, repaired).page : page;
    },
    detectOrientation: (input) => engine.detectOrientation(input),
    readingConfidence: (input) => engine.readingConfidence(input),
    close: async () => {
      await dictionaries.close();
      await engine.close();
    },
  };
}

class DictionaryThread {
  private worker: Worker | null = null;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, (words: string[] | null) => void>();

  constructor(private readonly languages: readonly string[]) {}

  /** Starts loading the dictionaries, if they are not loaded or failing. */
  warm(): void {
    if (!this.failed) this.start();
  }

  /** The words repaired, or null when they cannot be (no dictionary, or the thread failed). */
  repair(words: string[]): Promise<string[] | null> {
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
    worker.on('message', ({ id, words }: AccentReply) => {
      this.pending.get(id)?.(words);
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

