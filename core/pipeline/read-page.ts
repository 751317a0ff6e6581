/**
 * Read one page: clean it, recognise it, and — when it was only taken as upright from its lines
 * (clean-page.ts) and its reading says it may not be — find its orientation and read it again.
 * A reading that stays poor (a faded carbon, dot matrix, a stamped or speckled page), or that
 * passed over lines of text however sure it is of the rest (skipped-text.ts), is read again
 * from the page's other preparations (ocr-input.ts), and the surest reading is kept and recorded
 * (`second-reading`): the engine's own confidence follows the error rate closely enough to choose
 * (on the hard pages' dot-matrix notices, 34 → 88 as the errors fell from 49% to 4%), its unsure
 * words mended from the other readings (merge-readings.ts: `words-from-other-readings`). Where it
 * cannot see the flaw (text passed over; a pen across the lines read as letters, once a
 * preparation found and took out the pen: handwriting.ts), a reading without it is kept unless
 * far less sure (reading-choice.ts). A reading that is only fairly sure (SURE_REPAIRED_READING)
 * is also read as the page came when it was repaired, and flattened when its paper is blotched
 * (page-condition.ts; not when it read poorly: that page tries the heavier repairs).
 *
 * Read the right way up, typed text scores 78–96 on the samples and the real scans; upside down,
 * 17–51. So a page reading clearly is upright, and only the rare page that reads poorly pays for
 * orientation detection, after the fact. That spares most pages the 0.3–0.9 s of OSD.
 *
 * A page that reads as nothing may be the back of the sheet showing through: it is read once
 * more, mirrored, and is blank if only the mirror image reads (show-through.ts; recorded as
 * `show-through-only`). A page whose only lines are faint marks (clean-page.ts) is blank unless
 * its reading finds text of its own.
 */
import type { OcrPage, PageRaster } from '../model.js';
import { mergeReadings } from '../ocr/merge-readings.js';
import type { OcrEngine } from '../ocr/ocr-engine.js';
import { blankPage, cleanPage, type CleanedPage, type CleanOptions, type StageTimer } from './clean/clean-page.js';
import type { Alternative } from './clean/ocr-input.js';
import { findOrientation } from './clean/orientation.js';
import { characters, isShowThroughOnly, mayBeShowThrough, mirrorImage, readsAsText } from './clean/show-through.js';
import { replacesReading } from './reading-choice.js';
import { uncoveredShare } from './skipped-text.js';
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

  /** A poor reading is read again from the page's other preparations, and the surest reading kept. */
  const readWell = async (cleaned: CleanedPage, ocr: OcrPage, orientationChecked: boolean): Promise<PageRead> => {
    // Faint marks that read as nothing: blank, as the ink map alone said (no second reading: a sheet's back is not worth four).
    if (cleaned.faintOnly && !readsAsText(ocr)) return { cleaned: blankPage(), ocr: null, orientationChecked };
    if (mayBeShowThrough(ocr)) {
      const mirrored = await recognize({ ...cleaned, input: await time('clean', () => mirrorImage(cleaned.input!)) });
      if (isShowThroughOnly(ocr, mirrored)) return { cleaned: blankPage(['show-through-only']), ocr: null, orientationChecked };
    }
    let best = { cleaned, ocr };
    const readings = [ocr];
    // Each reading judged once: the kept one is asked again at every alternative.
    const judged = new Map<OcrPage, boolean>();
    const skipped = (reading: OcrPage) => {
      if (!judged.has(reading)) judged.set(reading, uncoveredShare(cleaned.letters ?? [], reading) >= SKIPPED_TEXT);
      return judged.get(reading)!;
    };
    // Once handwriting is found across the lines, every reading of a preparation that kept it is flawed.
    const withoutHandwriting = new Set<OcrPage>();
    const flawed = (reading: OcrPage) => skipped(reading) || (withoutHandwriting.size > 0 && !withoutHandwriting.has(reading));
    for (const alternative of cleaned.alternatives) {
      if (!skipped(best.ocr) && !worthReading(alternative, best.ocr)) continue;
      const other = await time('clean', () => alternative.prepare());
      if (!other) continue;
      const page = { ...cleaned, input: other.input, corrections: { ...cleaned.corrections, cleaning: other.cleaning } };
      const reading = await recognize(page);
      readings.push(reading);
      if (other.cleaning.includes('drop-handwriting')) withoutHandwriting.add(reading);
      if (replacesReading(reading, best.ocr, flawed, better)) best = { cleaned: page, ocr: reading };
    }
    if (readings.length === 1) return { cleaned, ocr, orientationChecked };
    const { page: merged, merged: taken } = mergeReadings(best.ocr, readings.filter((reading) => reading !== best.ocr));
    const cleaning = [...(best.cleaned.corrections.cleaning ?? []), 'second-reading' as const, ...(taken > 0 ? ['words-from-other-readings' as const] : [])];
    return { cleaned: { ...best.cleaned, corrections: { ...best.cleaned.corrections, cleaning } }, ocr: merged, orientationChecked };
  };

  const cleaned = await cleanPage(raster, options, engine, time);
  if (!cleaned.input) return { cleaned, ocr: null, orientationChecked: false };
  const ocr = await recognize(cleaned);
  if (!cleaned.uprightUnconfirmed) return readWell(cleaned, ocr, true);
  if (readsUpright(ocr)) return readWell(cleaned, ocr, false);

  const rotation = await time('orient', () => findOrientation(cleaned.input!, engine, options.orientationMinConfidence));
  if (rotation === 0) return readWell(cleaned, ocr, true);
  const turned = await cleanPage(raster, options, engine, time, rotation);
  const turnedReading = await recognize(turned);
  // A damaged page (dot matrix, heavy specks) reads poorly either way up and can fool orientation
  // detection: it is turned only if it reads better turned.
  if (readsUpright(turnedReading) || better(turnedReading, ocr)) return readWell(turned, turnedReading, true);
  return readWell(cleaned, ocr, true);
}

/** Clean typed pages read at 92–96; hard ones at 30–92, or nothing at all when specks swamp faint type. */
export const POOR_READING = 91;

/**
 * A repaired reading less sure than this is also checked against the page as it came: a repair can
 * cost a faint page more than it gives. Carbon 02 of the hard pages read 91.2 despeckled and
 * stretched (2.04 % of characters wrong), 92.4 as it came (0.96 %); pages that read 93 or more
 * repaired were never better unrepaired on the 145 hard-page readings measured. The same bar
 * decides whether a blotched page is also read flattened (the stained edital read 91.6 as it was).
 */
export const SURE_REPAIRED_READING = 93;

/**
 * A reading that no word of covers this share of the page's letters passed over text
 * (skipped-text.ts): every other preparation is worth reading, and one that reads the page whole
 * is kept unless it is far less sure. On the hard pages and the bundled samples the first readings
 * leave 0–5 % uncovered (stamps' own lettering); the stained decreto that lost its lines under a
 * coffee ring, 40 %.
 */
export const SKIPPED_TEXT = 0.1;

function worthReading(alternative: Alternative, best: OcrPage): boolean {
  const confidence = best.confidence ?? 0;
  if (alternative.when === 'poor') return confidence < POOR_READING;
  if (alternative.when === 'fairly-sure') return confidence >= POOR_READING && confidence < SURE_REPAIRED_READING;
  return confidence < SURE_REPAIRED_READING;
}

/**
 * The surer reading, unless it is only a little surer of much less text (a preparation that lost
 * lines). A far surer one wins outright: dots and specks read as punctuation make a poor reading long.
 */
function better(second: OcrPage, first: OcrPage): boolean {
  if (first.confidence === null) return second.confidence !== null;
  if (second.confidence === null) return false;
  if (second.confidence >= first.confidence + 10) return true;
  return second.confidence > first.confidence && characters(second) >= 0.85 * characters(first);
}

function readsUpright(ocr: OcrPage): boolean {
  return (ocr.confidence ?? 0) >= UPRIGHT_READING.confidence && characters(ocr) >= UPRIGHT_READING.characters;
}
