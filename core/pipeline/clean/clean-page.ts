/**
 * Clean: a page raster made into what a person reads and the OCR engine reads best.
 *
 *     blank? (else faint lines? read as they are) → lines across? → orientation (OSD, else reading)
 *       → skew (projection profiles) → straighten → OCR image, repaired as the page needs (ocr-input.ts)
 *
 * A page whose text lines run across it is upright or upside down; upright is by far the more
 * common, and the page's own reading tells the two apart at no extra cost (read upright, typed
 * text scores 78–96; upside down, 17–51). So such a page skips orientation detection and comes
 * back `uprightUnconfirmed`, for read-page.ts to confirm by its reading. Other pages (sideways,
 * stained, pictures, a few words) ask OSD first, as OCRmyPDF does.
 *
 * A page that needed turning comes back `corrected`: the searchable PDF shows that image, so the
 * page is upright and straight with its text layer on the words. The original file is untouched.
 */
import type { ConvertOptions, Matrix, PageCorrections, PageRaster } from '../../model.js';
import type { OcrEngine, OcrInput } from '../../ocr/ocr-engine.js';
import { isBlank } from './blank.js';
import { hasTextLines } from './text-evidence.js';
import { inkMap, type InkMap } from './ink.js';
import { linesRunAcross } from './line-direction.js';
import { prepareOcrInput, type PreparedOcrInput } from './ocr-input.js';
import { findOrientation, type QuarterTurn } from './orientation.js';
import { measureSkew } from './skew.js';
import { straighten } from './straighten.js';

/**
 * Smaller angles are left alone: they are not visible and do not hinder OCR, while turning costs
 * sharpness and a JPEG's or G4's passthrough. (The samples lean 0.2–0.4°.)
 */
export const MIN_SKEW_DEGREES = 0.5;

export interface CleanedPage {
  /** What the OCR engine reads; null for a blank page. */
  input: OcrInput | null;
  /** Maps the OCR image's pixel space onto the output page's raster (`corrected` when there is one). */
  toRaster: Matrix;
  /** The page upright and straight, when it had to be turned; else the raster as it came. */
  corrected: PageRaster | null;
  corrections: PageCorrections;
  /** Taken as upright from its lines alone: upside down until its reading says otherwise. */
  uprightUnconfirmed: boolean;
  /** Other preparations of the same page, for more readings (ocr-input.ts); none for a blank page. */
  alternatives: PreparedOcrInput['alternatives'];
  /** Where its letters are (dark-marks.ts), for skipped-text.ts; none for a blank page. */
  letters?: PreparedOcrInput['letters'];
  /**
   * Blank to the ink map, with lines only in faint marks: faint type, or show-through from the
   * back. Read, and blank after all unless the reading finds text of its own (read-page.ts).
   */
  faintOnly?: boolean;
}

/** What a blank page comes back as: nothing to read, nothing turned. */
export function blankPage(cleaning?: PageCorrections['cleaning']): CleanedPage {
  return { input: null, toRaster: [1, 0, 0, 1, 0, 0], corrected: null, corrections: { rotation: 0, skewDegrees: 0, blank: true, ...(cleaning ? { cleaning } : {}) }, uprightUnconfirmed: false, alternatives: [] };
}

export type CleanOptions = Pick<ConvertOptions, 'ocrMaxPixels' | 'orientationMinConfidence'>;

/** Times one step as the stage it belongs to. */
export type StageTimer = <T>(stage: 'clean' | 'orient', work: () => Promise<T>) => Promise<T>;

export const untimed: StageTimer = (_stage, work) => work();

/** `rotation`, when given, is known already (read-page.ts found the page upside down). */
export async function cleanPage(
  raster: PageRaster,
  options: CleanOptions,
  engine: Pick<OcrEngine, 'detectOrientation' | 'readingConfidence'>,
  time: StageTimer = untimed,
  rotation?: QuarterTurn,
): Promise<CleanedPage> {
  const ink = await time('clean', () => inkMap(raster));
  if (isBlank(ink)) {
    // Type too faint for the ink map (strokes of grey 185 on paper 240) would be lost unread:
    // lines in the faint marks are read, upright as scanned, and kept only if they read as text.
    if (rotation !== undefined) return blankPage();
    const faint = await time('clean', () => inkMap(raster, { faint: true }));
    if (!hasTextLines(faint)) return blankPage();
    return { ...(await time('clean', () => straightened(raster, faint, 0, options, null, false))), faintOnly: true };
  }
  // Only lines of text say which way up a page is and how it leans: a page of a signature or a
  // stamp alone keeps its orientation and angle, unless its reading said otherwise (`rotation`).
  // Faint type (a carbon copy) is looked for again below the usual ink threshold.
  if (rotation === undefined && fewMarks(ink) && !hasTextLines(ink) && !hasTextLines(await time('clean', () => inkMap(raster, { faint: true })))) return time('clean', () => straightened(raster, ink, 0, options, null, false, false));
  const assumeUpright = rotation === undefined && linesRunAcross(ink);
  if (rotation === undefined && !assumeUpright) {
    const asScanned = await time('clean', () => prepareOcrInput(raster, options));
    rotation = await time('orient', () => findOrientation(asScanned.input, engine, options.orientationMinConfidence));
    if (rotation === 0) return time('clean', () => straightened(raster, ink, 0, options, asScanned, false));
  }
  const turn = rotation ?? 0;
  return time('clean', () => straightened(raster, ink, turn, options, null, assumeUpright));
}

/** The page turned by `rotation` and its skew measured and removed; `asScanned` is its OCR image if already made. */
async function straightened(
  raster: PageRaster,
  ink: Awaited<ReturnType<typeof inkMap>>,
  rotation: QuarterTurn,
  options: CleanOptions,
  asScanned: Awaited<ReturnType<typeof prepareOcrInput>> | null,
  uprightUnconfirmed: boolean,
  textLines = true,
): Promise<CleanedPage> {
  const upright = rotation === 0 ? raster : await straighten(raster, rotation, 0);
  const measured = textLines ? measureSkew(rotation === 0 ? ink : await inkMap(upright)) : 0;
  const skewDegrees = Math.abs(measured) >= MIN_SKEW_DEGREES ? measured : 0;
  const corrections = (prepared: PreparedOcrInput): PageCorrections => ({ rotation, skewDegrees, blank: false, cleaning: prepared.cleaning });
  if (rotation === 0 && skewDegrees === 0) {
    const prepared = asScanned ?? (await prepareOcrInput(raster, options));
    return { ...withoutCleaning(prepared), corrected: null, corrections: corrections(prepared), uprightUnconfirmed };
  }
  const corrected = skewDegrees === 0 ? upright : await straighten(upright, 0, skewDegrees);
  const prepared = await prepareOcrInput(corrected, options);
  return { ...withoutCleaning(prepared), corrected, corrections: corrections(prepared), uprightUnconfirmed };
}

/**
 * A signature or a stamp covers a few percent of a page at most. Past that, a page whose ink shows
 * no lines is one the ink map cannot judge (a stain or the lid taken for ink): it is turned and
 * straightened as before.
 */
const FEW_MARKS = 0.03;
function fewMarks(ink: InkMap): boolean {
  return ink.inkPixels < FEW_MARKS * ink.width * ink.height;
}

function withoutCleaning({ cleaning: _, ...rest }: PreparedOcrInput): Omit<PreparedOcrInput, 'cleaning'> {
  return rest;
}
