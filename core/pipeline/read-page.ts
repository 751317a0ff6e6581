/**
 * Read one page: clean it, recognise it, and — when it was only taken as upright from its lines
 * (clean-page.ts) and its reading says it may not be — find its orientation and read it again.
 *
 * Read the right way up, typed text scores 78–96 on the samples and the real scans; upside down,
 * 17–51. So a page reading clearly is upright, and only the rare page that reads poorly pays for
 * orientation detection, after the fact. That spares most pages the 0.3–0.9 s of OSD.
 */
import type { OcrPage, PageRaster } from '../model.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { cleanPage, type CleanedPage, type CleanOptions, type StageTimer } from './clean/clean-page.js';
import { findOrientation } from './clean/orientation.js';
import { cpuMs } from './stage-clock.js';

/** A reading at least this confident, of at least this much text, is the right way up. */
export const UPRIGHT_READING = { confidence: 75, characters: 20 };

export interface PageRead {
  cleaned: CleanedPage;
  /** In the OCR image's pixel space (cleaned.toRaster maps it onto the page); null for a blank page. */
  ocr: OcrPage | null;
  /** Whether orientation detection ran on the page (before or after its reading). */
  orientationChecked: boolean;
}

/** Records the recognize stage: the worker's own wall time and this process's CPU. */
export type RecognizeTimer = (wallMs: number, cpuMs: number) => void;

export async function readPage(
  raster: PageRaster,
  options: CleanOptions,
  engine: OcrEngine,
  time: StageTimer,
  recordRecognize: RecognizeTimer,
): Promise<PageRead> {
  const recognize = async (cleaned: CleanedPage): Promise<OcrPage> => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const ocr = await engine.recognize(cleaned.input!);
    // Wall time is the worker's own, without the wait for a free worker.
    recordRecognize(ocr.durationMs ?? performance.now() - started, cpuMs(cpu));
    return ocr;
  };

  const cleaned = await cleanPage(raster, options, engine, time);
  if (!cleaned.input) return { cleaned, ocr: null, orientationChecked: false };
  const ocr = await recognize(cleaned);
  if (!cleaned.uprightUnconfirmed) return { cleaned, ocr, orientationChecked: true };
  if (readsUpright(ocr)) return { cleaned, ocr, orientationChecked: false };

  const rotation = await time('orient', () => findOrientation(cleaned.input!, engine, options.orientationMinConfidence));
  if (rotation === 0) return { cleaned, ocr, orientationChecked: true };
  const turned = await cleanPage(raster, options, engine, time, rotation);
  return { cleaned: turned, ocr: await recognize(turned), orientationChecked: true };
}

function readsUpright(ocr: OcrPage): boolean {
  return (ocr.confidence ?? 0) >= UPRIGHT_READING.confidence && ocr.text.replace(/\s/g, '').length >= UPRIGHT_READING.characters;
}
