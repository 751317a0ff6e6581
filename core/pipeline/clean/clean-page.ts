/**
 * Clean: a page raster made into what a person reads and the OCR engine reads best.
 *
 *     blank? → orientation (OSD, else reading) → skew (projection profiles) → straighten → OCR image
 *
 * A page that needed turning comes back `corrected`: the searchable PDF shows that image, so the
 * page is upright and straight with its text layer on the words. The original file is untouched.
 */
import type { ConvertOptions, Matrix, PageCorrections, PageRaster } from '../../model.js';
import type { OcrEngine, OcrInput } from '../../ocr/ocr-engine.js';
import { isBlank } from './blank.js';
import { inkMap } from './ink.js';
import { prepareOcrInput } from './ocr-input.js';
import { findOrientation } from './orientation.js';
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
}

export type CleanOptions = Pick<ConvertOptions, 'ocrMaxPixels' | 'orientationMinConfidence'>;

export async function cleanPage(raster: PageRaster, options: CleanOptions, engine: Pick<OcrEngine, 'detectOrientation' | 'readingConfidence'>): Promise<CleanedPage> {
  const ink = await inkMap(raster);
  if (isBlank(ink)) {
    return { input: null, toRaster: [1, 0, 0, 1, 0, 0], corrected: null, corrections: { rotation: 0, skewDegrees: 0, blank: true } };
  }
  const asScanned = await prepareOcrInput(raster, options);
  const rotation = await findOrientation(asScanned.input, engine, options.orientationMinConfidence);

  const upright = rotation === 0 ? raster : await straighten(raster, rotation, 0);
  const measured = measureSkew(rotation === 0 ? ink : await inkMap(upright));
  const skewDegrees = Math.abs(measured) >= MIN_SKEW_DEGREES ? measured : 0;
  const corrections: PageCorrections = { rotation, skewDegrees, blank: false };
  if (rotation === 0 && skewDegrees === 0) return { ...asScanned, corrected: null, corrections };

  const corrected = skewDegrees === 0 ? upright : await straighten(upright, 0, skewDegrees);
  return { ...(await prepareOcrInput(corrected, options)), corrected, corrections };
}
