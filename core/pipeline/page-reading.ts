/**
 * The read stage of one decoded page. With `--split barcode`, a separator sheet's code is looked
 * for first (stage `separate`), and a sheet is not read further; any other page is cleaned and
 * recognised (read-page.ts: stages `clean`, `orient`, `recognize`) and its words moved onto the
 * page's raster. A page that keeps a text layer of its own is not read at all.
 */
import type { ConvertOptions, OcrPage, PageRaster } from '../model.js';
import { mapOcrPage } from '../ocr/map-ocr-page.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { readPageBarcodes } from '../separation/barcode-reader.js';
import { parseSeparatorCode, type SeparatorCode } from '../separation/separator-code.js';
import type { CleanedPage } from './clean/clean-page.js';
import type { DecodedPage } from './decode/decoded-document.js';
import { readPage } from './read-page.js';
import type { StageClock } from './stage-clock.js';

export interface PageReading {
  /** In the page raster's pixel space (the corrected raster's, when the page was turned); null: not read. */
  ocr: OcrPage | null;
  cleaned: CleanedPage | null;
  /** A separator sheet's code, found before any OCR (the sheet is not read). */
  code: SeparatorCode | null;
  /** Whether orientation detection ran on the page. */
  orientationChecked: boolean;
}

/** A page and what was read of it: what the part assembler takes, in page order. */
export interface ReadPage {
  page: DecodedPage;
  reading: PageReading;
}

const NOT_READ: PageReading = { ocr: null, cleaned: null, code: null, orientationChecked: false };

export async function readDecodedPage(page: DecodedPage, options: ConvertOptions, engine: OcrEngine, clock: StageClock): Promise<PageReading> {
  const raster = page.raster;
  if (!raster) return NOT_READ;
  if (options.split.mode === 'barcode') {
    const code = await clock.time('separate', () => findSeparatorCode(raster));
    if (code) return { ...NOT_READ, code };
  }
  const { cleaned, ocr, orientationChecked } = await readPage(
    raster,
    options,
    engine,
    (stage, work) => clock.time(stage, work),
    (wallMs, cpu) => clock.add('recognize', wallMs, cpu),
  );
  return { ocr: ocr && mapOcrPage(ocr, cleaned.toRaster), cleaned, code: null, orientationChecked };
}

/** The first of Acervo's separator codes among the page's barcodes. */
async function findSeparatorCode(raster: PageRaster): Promise<SeparatorCode | null> {
  const texts = await readPageBarcodes(raster);
  return texts.map(parseSeparatorCode).find((code) => code !== null) ?? null;
}
