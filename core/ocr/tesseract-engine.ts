/**
 * OCR with tesseract.js: a pool of workers (one per job slot), started once and reused.
 * A worker that takes longer than the page timeout is terminated and replaced, so one bad page
 * can never hang a batch.
 */
import PQueue from 'p-queue';
import Tesseract from 'tesseract.js';
import { AppError } from '../errors.js';
import type { OcrLine, OcrPage, OcrWord } from '../model.js';
import { prepareLanguageFolder, type LanguageFolder } from './language-data.js';
import type { OcrEngine, OcrInput } from './ocr-engine.js';

export interface TesseractEngineOptions {
  languages: readonly string[];
  workers: number;
  pageTimeoutMs: number;
}

type TesseractWorker = Tesseract.Worker;

export async function startTesseractEngine(options: TesseractEngineOptions): Promise<OcrEngine> {
  const languageFolder = await prepareLanguageFolder(options.languages);
  try {
    const workers = await Promise.all(Array.from({ length: options.workers }, () => createWorker(options.languages, languageFolder)));
    return new TesseractEngine(options, languageFolder, workers);
  } catch (error) {
    await languageFolder.remove();
    throw error;
  }
}

async function createWorker(languages: readonly string[], folder: LanguageFolder): Promise<TesseractWorker> {
  try {
    const worker = await Tesseract.createWorker(languages.join('+'), Tesseract.OEM.LSTM_ONLY, {
      langPath: folder.path,
      gzip: true,
      cacheMethod: 'none',
      // Without a handler, tesseract.js rethrows job errors from a message listener and kills the process.
      errorHandler: () => {},
    });
    // Tesseract's library default is one uniform block (only its CLI defaults to AUTO): that reads
    // two-column pages line across line. AUTO finds columns and blocks, as the CLI and OCRmyPDF do.
    // debug_file silences Tesseract's diagnostics ("Detected 10 diacritics"), which went to stderr.
    await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.AUTO, debug_file: '/dev/null' } as Partial<Tesseract.WorkerParams>);
    return worker;
  } catch (error) {
    throw new AppError('DEPENDENCY_MISSING', `The OCR engine could not start: ${String(error)}`, { cause: error });
  }
}

class TesseractEngine implements OcrEngine {
  readonly languages: readonly string[];
  readonly concurrency: number;
  private readonly idle: TesseractWorker[];
  private readonly queue: PQueue;
  private closed = false;

  constructor(
    private readonly options: TesseractEngineOptions,
    private readonly languageFolder: LanguageFolder,
    workers: TesseractWorker[],
  ) {
    this.languages = options.languages;
    this.concurrency = workers.length;
    this.idle = workers;
    // The queue never runs more tasks than there are workers, so an idle one is always there.
    this.queue = new PQueue({ concurrency: workers.length });
  }

  recognize(input: OcrInput): Promise<OcrPage> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'The OCR engine is closed.'));
    return this.queue.add(() => this.recognizeWithIdleWorker(input));
  }

  private async recognizeWithIdleWorker(input: OcrInput): Promise<OcrPage> {
    const worker = this.idle.pop();
    if (!worker) throw new AppError('INTERNAL', 'No idle OCR worker although the queue allowed a task.');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError('OCR_TIMEOUT', `OCR of a page took longer than ${Math.round(this.options.pageTimeoutMs / 1000)} s; raise ocr.pageTimeoutSeconds or check the scan.`)),
        this.options.pageTimeoutMs,
      );
    });
    const started = performance.now();
    try {
      const result = await Promise.race([
        // Tesseract parameters pass through the options; the typings only know tesseract.js's own.
        worker.recognize(input.png, { user_defined_dpi: String(Math.round(input.dpi)) } as Partial<Tesseract.RecognizeOptions>, { blocks: true, text: false }),
        timeout,
      ]);
      this.idle.push(worker);
      return { ...toOcrPage(result.data), durationMs: performance.now() - started };
    } catch (error) {
      if (error instanceof AppError && error.code === 'OCR_TIMEOUT') {
        void worker.terminate().catch(() => {});
        this.idle.push(await createWorker(this.languages, this.languageFolder));
        throw error;
      }
      // tesseract.js reports a failed job without harming the worker: keep it.
      this.idle.push(worker);
      throw new AppError('OCR_FAILED', `OCR failed: ${String(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.onIdle();
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate().catch(() => {})));
    await this.languageFolder.remove();
  }
}

function toOcrPage(page: Tesseract.Page): OcrPage {
  const lines: OcrLine[] = [];
  const paragraphTexts: string[] = [];
  let confidenceSum = 0;
  let characters = 0;
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      const lineTexts: string[] = [];
      const textSize = median(paragraph.lines.map((line) => line.bbox.y1 - line.bbox.y0));
      for (const line of paragraph.lines) {
        const words: OcrWord[] = [];
        for (const word of line.words) {
          const text = word.text.trim();
          if (!text) continue;
          words.push({ text, box: { ...word.bbox }, confidence: word.confidence });
          confidenceSum += word.confidence * text.length;
          characters += text.length;
        }
        if (words.length === 0) continue;
        const hasBaseline = line.baseline && line.baseline.x1 > line.baseline.x0;
        lines.push({ box: { ...line.bbox }, words, textSize, ...(hasBaseline ? { baseline: { ...line.baseline } } : {}) });
        lineTexts.push(words.map((w) => w.text).join(' '));
      }
      if (lineTexts.length > 0) paragraphTexts.push(lineTexts.join('\n'));
    }
  }
  return {
    lines,
    text: paragraphTexts.join('\n\n'),
    confidence: characters > 0 ? confidenceSum / characters : null,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
