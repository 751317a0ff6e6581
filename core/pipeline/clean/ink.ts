/**
 * The page at a low, fixed resolution, as ink and paper: what the blank and skew checks read.
 * A 3×3 median first removes isolated specks (scanner dust), which are not text.
 */
import sharp from 'sharp';
import type { PageRaster } from '../../model.js';

/** Enough to see text lines; small enough that the checks take milliseconds. */
export const ANALYSIS_DPI = 100;

export interface InkMap {
  width: number;
  height: number;
  /** 1 where there is ink. */
  ink: Uint8Array;
  inkPixels: number;
}

/** Grey levels ink must lie below the paper by; `faint` maps look for carbon copies' and faded type's too. */
const MIN_CONTRAST = 48;
const FAINT_CONTRAST = 20;

export async function inkMap(raster: PageRaster, options: { faint?: boolean } = {}): Promise<InkMap> {
  const width = Math.max(1, Math.round((raster.width * ANALYSIS_DPI) / raster.dpiX));
  const height = Math.max(1, Math.round((raster.height * ANALYSIS_DPI) / raster.dpiY));
  const { data } = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } })
    .greyscale()
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .median(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const threshold = otsuThreshold(data, options.faint ? FAINT_CONTRAST : MIN_CONTRAST);
  const ink = new Uint8Array(width * height);
  let inkPixels = 0;
  for (let i = 0; i < ink.length; i++) {
    if (data[i]! < threshold) {
      ink[i] = 1;
      inkPixels++;
    }
  }
  return { width, height, ink, inkPixels };
}

/**
 * The grey level that best splits the page into two classes (Otsu), kept well below the paper:
 * on an empty page Otsu would split the paper's own grain in two.
 */
function otsuThreshold(grey: Uint8Array, minContrast: number): number {
  const histogram = new Array<number>(256).fill(0);
  for (const v of grey) histogram[v]!++;
  const total = grey.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i]!;
  let sumBelow = 0;
  let countBelow = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    countBelow += histogram[t]!;
    if (countBelow === 0) continue;
    const countAbove = total - countBelow;
    if (countAbove === 0) break;
    sumBelow += t * histogram[t]!;
    const meanBelow = sumBelow / countBelow;
    const meanAbove = (sumAll - sumBelow) / countAbove;
    const between = countBelow * countAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = t + 1;
    }
  }
  const paper = percentile(histogram, total, 0.9);
  // Ink must be clearly darker than the paper, whatever Otsu found.
  return Math.min(threshold, paper - minContrast);
}

function percentile(histogram: number[], total: number, fraction: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= total * fraction) return v;
  }
  return 255;
}
