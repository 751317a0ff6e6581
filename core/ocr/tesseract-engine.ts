/**
 * OCR with tesseract.js: one pool of LSTM workers reading pages and one of legacy-engine workers
 * detecting page orientation (OSD exists only in the legacy engine), one of each per job slot.
 */
import { fileURLToPath } from 'node:url';
import Tesseract from 'tesseract.js';
import { AppError } from '../errors.js';
import type { OcrLine, OcrPage, OcrWord } from '../model.js';
import { prepareLanguageFolder, type LanguageFolder } from './language-data.js';
import { median } from '../median.js';
import { withDotLeaders } from './dot-leaders.js';
import { isNoiseLine, isSpeckMark, isStrayMark } from './noise-lines.js';
import type { OcrEngine, OcrInput, PageOrientation } from './ocr-engine.js';
import { WorkerPool, type PoolErrors } from './worker-pool.js';

export interface TesseractEngineOptions {
  languages: readonly string[];
  workers: number;
  pageTimeoutMs: number;
}

const OSD_LANGUAGE = 'osd';
/** tesseract.js's worker script behind a filter for the engine's diagnostics. */
const QUIET_WORKER = fileURLToPath(new URL('./quiet-tesseract-worker.js', import.meta.url));

export async function startTesseractEngine(options: TesseractEngineOptions): Promise<OcrEngine> {
  const languageFolder = await prepareLanguageFolder([...options.languages, OSD_LANGUAGE]);
  let readers: WorkerPool | undefined;
  try {
    // One reader now (the first page is waiting for it: engine-on-first-use.ts), the others as pages come;
    // orientation detection only once a page reads poorly enough to need it.
    readers = await WorkerPool.start(options.workers, () => createReader(options.languages, languageFolder), options.pageTimeoutMs, 1);
    const orienters = await WorkerPool.start(options.workers, () => createOrienter(languageFolder), options.pageTimeoutMs, 0);
    return new TesseractEngine(options, languageFolder, readers, orienters);
  } catch (error) {
    await readers?.close();
    await languageFolder.remove();
    throw error;
  }
}

/** Tesseract parameters every worker gets. */
const COMMON_PARAMETERS = {
  // Tesseract's diagnostics ("Detected 10 diacritics") would otherwise go to stderr.
  debug_file: '/dev/null',
};

async function createReader(languages: readonly string[], folder: LanguageFolder): Promise<Tesseract.Worker> {
  const worker = await createWorker(languages.join('+'), Tesseract.OEM.LSTM_ONLY, folder, false);
  // Tesseract's library default is one uniform block (only its CLI defaults to AUTO): that reads
  // two-column pages line across line. AUTO finds columns and blocks, as the CLI and OCRmyPDF do.
  await worker.setParameters({ ...COMMON_PARAMETERS, tessedit_pageseg_mode: Tesseract.PSM.AUTO } as Partial<Tesseract.WorkerParams>);
  return worker;
}

async function createOrienter(folder: LanguageFolder): Promise<Tesseract.Worker> {
  const worker = await createWorker(OSD_LANGUAGE, Tesseract.OEM.TESSERACT_ONLY, folder, true);
  await worker.setParameters(COMMON_PARAMETERS as Partial<Tesseract.WorkerParams>);
  return worker;
}

async function createWorker(languages: string, oem: Tesseract.OEM, folder: LanguageFolder, legacy: boolean): Promise<Tesseract.Worker> {
  try {
    return await Tesseract.createWorker(languages, oem, {
      langPath: folder.path,
      gzip: true,
      cacheMethod: 'none',
      legacyCore: legacy,
      legacyLang: legacy,
      workerPath: QUIET_WORKER,
      // Without a handler, tesseract.js rethrows job errors from a message listener and kills the process.
      errorHandler: () => {},
    });
  } catch (error) {
    throw new AppError('DEPENDENCY_MISSING', `The OCR engine could not start: ${String(error)}`, { cause: error });
  }
}

class TesseractEngine implements OcrEngine {
  readonly languages: readonly string[];
  readonly concurrency: number;

  constructor(
    private readonly options: TesseractEngineOptions,
    private readonly languageFolder: LanguageFolder,
    private readonly readers: WorkerPool,
    private readonly orienters: WorkerPool,
  ) {
    this.languages = options.languages;
    this.concurrency = options.workers;
  }

  private readonly errors: PoolErrors = {
    timeout: () =>
      new AppError(
        'OCR_TIMEOUT',
        `OCR of a page took longer than ${Math.round(this.options.pageTimeoutMs / 1000)} s, twice (the second time on a fresh worker); raise ocr.pageTimeoutSeconds or check the scan.`,
      ),
    failed: (error) => new AppError('OCR_FAILED', `The OCR engine failed on a page, twice (the second time on a fresh worker): ${describe(error)}`, { cause: error }),
  };

  async recognize(input: OcrInput): Promise<OcrPage> {
    return this.readers.run(async (worker) => {
      const started = performance.now();
      // Tesseract parameters pass through the options; the typings only know tesseract.js's own.
      // Parameters given with a job hold for that job only (tesseract.js restores them after it).
      const parameters = { user_defined_dpi: String(Math.round(input.dpi)), ...(input.removeNoise ? { textord_heavy_nr: '1' } : {}) };
      const result = await worker.recognize(input.png, parameters as Partial<Tesseract.RecognizeOptions>, { blocks: true, text: false });
      return { ...toOcrPage(result.data), durationMs: performance.now() - started };
    }, this.errors);
  }

  async readingConfidence(input: OcrInput): Promise<number | null> {
    return this.readers.run(async (worker) => {
      // One block of horizontal text: with its automatic layout, Tesseract would find sideways
      // text and turn it itself, and a sideways reading would score as well as an upright one.
      const options = { user_defined_dpi: String(Math.round(input.dpi)), tessedit_pageseg_mode: Tesseract.PSM.SINGLE_BLOCK };
      const { data } = await worker.recognize(input.png, options as Partial<Tesseract.RecognizeOptions>, { text: true });
      return data.text.trim() ? data.confidence : null;
    }, this.errors);
  }

  async detectOrientation(input: OcrInput): Promise<PageOrientation | null> {
    const { data } = await this.orienters.run((worker) => worker.detect(input.png), this.errors);
    const degrees = data.orientation_degrees;
    // Too little text to tell (a blank or a picture): OSD gives no answer, and the page stays as it is.
    if (degrees !== 0 && degrees !== 90 && degrees !== 180 && degrees !== 270) return null;
    return { degrees, confidence: data.orientation_confidence ?? 0 };
  }

  get counters(): OcrEngine['counters'] {
    const [a, b] = [this.readers.counters, this.orienters.counters];
    return { replaced: a.replaced + b.replaced, retried: a.retried + b.retried };
  }

  async close(): Promise<void> {
    await Promise.all([this.readers.close(), this.orienters.close()]);
    await this.languageFolder.remove();
  }
}

/** Tesseract's page as Acervo keeps it: lines of words, marks and noise lines left out (noise-lines.ts), misread dot leaders as dots (dot-leaders.ts). */
export function toOcrPage(page: Tesseract.Page): OcrPage {
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
        const specks: OcrWord[] = [];
        for (const word of line.words) {
          const text = word.text.trim();
          if (!text || isStrayMark({ text, confidence: word.confidence })) continue;
          (isSpeckMark({ text, confidence: word.confidence }) ? specks : words).push({ text, box: { ...word.bbox }, confidence: word.confidence });
        }
        if (words.length === 0 || isNoiseLine(words)) continue;
        // The reading's confidence is the engine's, leaders misread included.
        for (const word of [...words, ...specks]) {
          confidenceSum += word.confidence * word.text.length;
          characters += word.text.length;
        }
        const kept = withDotLeaders(words);
        const hasBaseline = line.baseline && line.baseline.x1 > line.baseline.x0;
        lines.push({ box: { ...line.bbox }, words: kept, textSize, ...(hasBaseline ? { baseline: { ...line.baseline } } : {}) });
        lineTexts.push(kept.map((w) => w.text).join(' '));
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

/** tesseract.js rejects with strings as well as errors. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim() || 'no message';
}
