/**
 * The image the OCR engine reads: grey pixels at an OCR-friendly, square resolution within a
 * pixel budget, on a flat background (see paper.ts). Very high resolutions are scaled down
 * (Tesseract loses words taller than it expects); low ones are read at their own resolution,
 * with Tesseract told what it is, down to 100 DPI: its LSTM scales each text line to its own
 * height anyway, and upscaling measured worse on every low-DPI page tried (Lanczos, automatic
 * page segmentation, character error rate as is → at 300 DPI): the 150 DPI memorando 0.67% →
 * 0.76%, the 200 DPI stained requerimento 0.72% → 11.9%, the
 * alvará scaled down to 150 DPI 0.60% → 0.82%.
 */
import sharp from 'sharp';
import type { ConvertOptions, Matrix, PageRaster } from '../../model.js';
import type { OcrInput } from '../../ocr/ocr-engine.js';
import { flattenBackground, paperTone } from './paper.js';

const TARGET_DPI = 300;
const MIN_GOOD_DPI = 100;
const MAX_GOOD_DPI = 450;
const LOW_DPI_TARGET = 150;

export interface PreparedOcrInput {
  input: OcrInput;
  /** Maps the OCR image's pixel space back onto the page raster's. */
  toRaster: Matrix;
}

export async function prepareOcrInput(raster: PageRaster, options: Pick<ConvertOptions, 'ocrMaxPixels'>): Promise<PreparedOcrInput> {
  const scaleFor = (dpi: number) => (dpi < MIN_GOOD_DPI ? LOW_DPI_TARGET / dpi : dpi > MAX_GOOD_DPI ? TARGET_DPI / dpi : 1);
  // Square pixels first: both axes end at the same resolution.
  const dpi = Math.max(raster.dpiX, raster.dpiY);
  let scaleX = (scaleFor(dpi) * dpi) / raster.dpiX;
  let scaleY = (scaleFor(dpi) * dpi) / raster.dpiY;
  const pixels = raster.width * scaleX * raster.height * scaleY;
  if (pixels > options.ocrMaxPixels) {
    const shrink = Math.sqrt(options.ocrMaxPixels / pixels);
    scaleX *= shrink;
    scaleY *= shrink;
  }
  const width = Math.max(1, Math.round(raster.width * scaleX));
  const height = Math.max(1, Math.round(raster.height * scaleY));
  let image = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } });
  image = image.toColourspace('b-w');
  if (width !== raster.width || height !== raster.height) image = image.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  const grey = await image.raw().toBuffer({ resolveWithObject: true });
  flattenBackground(grey.data, await paperTone(raster));
  // Fast, barely compressed PNG: it only crosses a thread boundary.
  const png = await sharp(grey.data, { raw: { width: grey.info.width, height: grey.info.height, channels: 1 } })
    .png({ compressionLevel: 1, adaptiveFiltering: false })
    .toBuffer();
  return {
    input: { png, dpi: scaleX * raster.dpiX },
    toRaster: [raster.width / width, 0, 0, raster.height / height, 0, 0],
  };
}
