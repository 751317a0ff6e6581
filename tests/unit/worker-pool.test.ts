/**
 * The OCR worker pool when workers die or hang, with real tesseract.js workers: the worker is
 * replaced, the page tried once more, and a second failure is the page's clear error.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Tesseract from 'tesseract.js';
import { AppError } from '../../core/errors.js';
import { prepareLanguageFolder, type LanguageFolder } from '../../core/ocr/language-data.js';
// The built engine: its worker script is the compiled quiet-tesseract-worker.js.
import { startTesseractEngine } from '../../dist/core/ocr/tesseract-engine.js';
import { WorkerPool, type PoolErrors } from '../../core/ocr/worker-pool.js';
import { makePage } from '../helpers/make-page.js';

let folder: LanguageFolder;
let page: Buffer;
const errors: PoolErrors = {
  timeout: () => new AppError('OCR_TIMEOUT', 'timed out twice'),
  failed: (error) => new AppError('OCR_FAILED', `failed twice: ${String(error)}`),
};

beforeAll(async () => {
  folder = await prepareLanguageFolder(['por']);
  ({ png: page } = await makePage([['Certidão', 'de', 'nascimento']], { width: 900, height: 200, dpi: 300, size: 48, left: 40, top: 60, lineGap: 20 }));
});
afterAll(() => folder.remove());

// The built quiet worker script keeps Leptonica's complaints about the broken image off the output.
const workerPath = fileURLToPath(new URL('../../dist/core/ocr/quiet-tesseract-worker.js', import.meta.url));
const createWorker = () => Tesseract.createWorker('por', Tesseract.OEM.LSTM_ONLY, { langPath: folder.path, gzip: true, cacheMethod: 'none', workerPath, errorHandler: () => {} });
const read = async (worker: Tesseract.Worker) => (await worker.recognize(page)).data.text.trim();

describe('OCR worker pool', () => {
  it('replaces a worker killed under a page and reads the page on a fresh one', async () => {
    const pool = await WorkerPool.start(1, createWorker, 3000);
    try {
      const used: Tesseract.Worker[] = [];
      const text = await pool.run(async (worker) => {
        used.push(worker);
        const job = read(worker);
        // The first attempt's worker dies under its page (once the job reached its thread):
        // the thread is gone and the job never answers.
        if (used.length === 1) setTimeout(() => void worker.terminate(), 100);
        return job;
      }, errors);
      expect(text).toBe('Certidão de nascimento');
      expect(used).toHaveLength(2);
      expect(used[1]).not.toBe(used[0]);
      expect(pool.counters).toEqual({ replaced: 1, retried: 1 });
    } finally {
      await pool.close();
    }
  });

  it('fails a page that hangs twice with the timeout error, and keeps serving the next pages', async () => {
    // Long enough for the real page after it on a fresh worker even on a loaded machine (300 ms
    // was not, with a benchmark beside the suite on 2 cores).
    const pool = await WorkerPool.start(1, createWorker, 2000);
    try {
      const hang = () => new Promise<string>(() => {});
      await expect(pool.run(hang, errors)).rejects.toMatchObject({ code: 'OCR_TIMEOUT' });
      expect(pool.counters).toEqual({ replaced: 2, retried: 1 });
      await expect(pool.run(read, errors)).resolves.toBe('Certidão de nascimento');
    } finally {
      await pool.close();
    }
  });

  it('fails a page whose job fails twice with the failure, the last cause given', async () => {
    const pool = await WorkerPool.start(2, createWorker, 20_000);
    try {
      let attempts = 0;
      const broken = async (worker: Tesseract.Worker) => {
        attempts++;
        // Bytes that are no image: tesseract.js rejects the job.
        return (await worker.recognize(Buffer.from(`not an image ${attempts}`))).data.text;
      };
      const failure = await pool.run(broken, errors).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect(failure).toMatchObject({ code: 'OCR_FAILED' });
      expect(attempts).toBe(2);
      expect(pool.counters.replaced).toBe(2);
      expect(pool.size).toBe(2);
    } finally {
      await pool.close();
    }
  });
});

describe('OCR worker pool, started as pages need it', () => {
  it('starts no worker before the first task, and a second only for two tasks at once', async () => {
    let started = 0;
    const counted = () => {
      started++;
      return createWorker();
    };
    const pool = await WorkerPool.start(2, counted, 20_000, 0);
    try {
      expect(started).toBe(0);
      await expect(pool.run(read, errors)).resolves.toBe('Certidão de nascimento');
      await expect(pool.run(read, errors)).resolves.toBe('Certidão de nascimento');
      expect(started).toBe(1);
      await expect(Promise.all([pool.run(read, errors), pool.run(read, errors)])).resolves.toEqual(['Certidão de nascimento', 'Certidão de nascimento']);
      expect(started).toBe(2);
      expect(pool.counters).toEqual({ replaced: 0, retried: 0 });
    } finally {
      await pool.close();
    }
  });

  it('fails a task with why when no worker can start, and every task after it', async () => {
    const missing = () => Promise.reject(new AppError('DEPENDENCY_MISSING', 'The OCR engine could not start: no wasm'));
    const pool = await WorkerPool.start(1, missing, 20_000, 0);
    try {
      await expect(pool.run(read, errors)).rejects.toMatchObject({ code: 'DEPENDENCY_MISSING', message: expect.stringMatching(/no wasm/) });
      await expect(pool.run(read, errors)).rejects.toMatchObject({ code: 'DEPENDENCY_MISSING' });
    } finally {
      await pool.close();
    }
  });
});

describe('Tesseract engine', () => {
  it('reports a page slower than the per-page timeout as OCR_TIMEOUT, retried on a fresh worker first', async () => {
    const engine = await startTesseractEngine({ languages: ['por'], workers: 1, pageTimeoutMs: 5 });
    try {
      const failure = await engine.recognize({ png: page, dpi: 300 }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'OCR_TIMEOUT' });
      expect((failure as Error).message).toMatch(/twice \(the second time on a fresh worker\)/);
      expect(engine.counters).toEqual({ replaced: 2, retried: 1 });
    } finally {
      await engine.close();
    }
  });
});
