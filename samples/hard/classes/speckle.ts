/**
 * speckle: typed pages scanned through dirt: dense salt-and-pepper (dark specks all over, light specks
 * knocked out of the strokes), larger dust blobs and hairs on the glass. Greyscale, 300 DPI. Heavy: about
 * three times the specks, more and bigger dust, more hairs.
 */
import type { Rng } from '../../render/rng.js';
import { Canvas } from '../canvas.js';
import { A4_300, type ClassSpec } from '../class-spec.js';
import { sheet } from '../layout.js';
import { blurCoverage, hair, knockOut, specks } from '../marks.js';
import { inkCoverage } from '../typed-page.js';
import type { HardPageOptions, LaidPage } from '../types.js';

async function render(page: LaidPage, rng: Rng, o: HardPageOptions) {
  const heavy = o.severity === 'heavy';
  const w = page.width;
  const h = page.height;
  const typed = await inkCoverage(page, rng, { skewDeg: rng.range(-0.5, 0.5), blur: 0.8 });
  const salt = specks(rng, w, h, { perMillion: heavy ? 3500 : 1500, radius: [0.5, 1.6] });
  const ink = knockOut(typed, salt);
  const dirt = specks(rng, w, h, { perMillion: heavy ? 4200 : 1500, radius: [0.5, 2.2], strength: [0.5, 1] });
  // Dust blobs and hairs on the glass.
  specks(rng, w, h, { perMillion: heavy ? 12 : 5, radius: [3, heavy ? 9 : 6], strength: [0.7, 1] }, dirt);
  const hairs = heavy ? rng.int(8, 12) : rng.int(3, 5);
  for (let k = 0; k < hairs; k++) hair(dirt, w, h, rng, rng.range(0, w), rng.range(0, h), rng.range(80, 420), rng.range(1.2, 2.2), rng.range(0.6, 0.95));
  const paper = Canvas.paper(rng, w, h, { tone: [236, 236, 234], shade: 4, fibres: 0.0005, fibreDepth: 15 });
  paper.inkLevels = 16;
  paper.ink(ink, [24, 24, 24]);
  paper.ink(blurCoverage({ width: w, height: h, data: dirt }, 0.5), [30, 30, 30]);
  return { raster: paper.toRaster(1), ext: 'png' as const, dpi: 300 };
}

export const speckle: ClassSpec = {
  geometry: () => sheet(A4_300.w, A4_300.h, A4_300.dpi),
  face: 'serif',
  sizePt: 11.5,
  leading: 1.55,
  render,
};
