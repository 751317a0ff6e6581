/** What every page class provides to render-page.ts. */
import type { Raster } from '../render/raster.js';
import type { Rng } from '../render/rng.js';
import type { Geometry } from './layout.js';
import type { Face, HardPageOptions, LaidPage } from './types.js';

export interface ClassOutput {
  raster: Raster;
  ext: 'png' | 'jpg';
  /** The density written into the file (pHYs or JFIF). */
  dpi: number;
}

export interface ClassSpec {
  /** The sheet at the class's resolution. */
  geometry: (o: HardPageOptions) => Geometry;
  /** Defaults when the options do not say. */
  face: Face;
  /** The class draws only this face (dot-matrix: the print head follows monospaced glyphs). */
  onlyFace?: Face;
  sizePt: number;
  leading: number;
  /** Draws the laid-out page and degrades it. */
  render: (page: LaidPage, rng: Rng, o: HardPageOptions) => Promise<ClassOutput>;
}

/** A4 at 300 DPI, the default sheet. */
export const A4_300 = { w: 210, h: 297, dpi: 300 } as const;
