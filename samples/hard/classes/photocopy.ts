/**
 * photocopy: a copy of a copy (of a copy). Every generation thickens the strokes (toner spreads),
 * breaks some where the toner dropped out, adds toner specks, and greys the background in patches;
 * the copier's open lid leaves dark bands and shadows along the edges of the sheet. Greyscale PNG,
 * 300 DPI. Heavy: three generations, contrastier, with more dropout, specks and darker edges.
 */
import { valueNoise } from '../../render/raster.js';
import type { Rng } from '../../render/rng.js';
import { Canvas, type Coverage } from '../canvas.js';
import { A4_300, type ClassSpec } from '../class-spec.js';
import { sheet } from '../layout.js';
import { blurCoverage, knockOut, reshape, smoothstep, specks } from '../marks.js';
import { inkCoverage } from '../typed-page.js';
import type { HardPageOptions, LaidPage } from '../types.js';

/** One pass through the copier: the image shifts and turns a hair, toner spreads, drops out, specks. */
function generation(rng: Rng, c: Coverage, heavy: boolean): Coverage {
  const { width: w, height: h } = c;
  let out = reshape(c, rng.range(1.1, 1.5), heavy ? 0.3 : 0.36, 5);
  // Dropout: where the drum was worn, thin parts of strokes vanish (patches, not single pixels).
  const worn = valueNoise(rng, w, h, 7);
  const patch = valueNoise(rng, w, h, 160);
  const holes = new Float32Array(w * h);
  for (let i = 0; i < holes.length; i++) holes[i] = smoothstep(heavy ? 0.5 : 0.6, 0.95, worn[i]! * 0.55 + patch[i]! * 0.5);
  out = knockOut(out, holes);
  const toner = specks(rng, w, h, { perMillion: heavy ? 500 : 250, radius: [0.6, 2.6], strength: [0.6, 1] });
  for (let i = 0; i < toner.length; i++) out.data[i] = Math.min(1, out.data[i]! + toner[i]!);
  return out;
}

async function render(page: LaidPage, rng: Rng, o: HardPageOptions) {
  const heavy = o.severity === 'heavy';
  const w = page.width;
  const h = page.height;
  let cov = await inkCoverage(page, rng, { skewDeg: rng.range(-0.6, 0.6), blur: 0.9 });
  const generations = heavy ? 3 : 2;
  for (let g = 0; g < generations; g++) cov = generation(rng, cov, heavy);
  cov = blurCoverage(cov, 0.7);
  const paper = Canvas.paper(rng, w, h, { tone: [242, 242, 242], shade: 4 });
  paper.inkLevels = 16;
  // Grey haze in patches (a dirty drum, the original's own shading copied along).
  const haze = valueNoise(rng, w, h, 260);
  const hazeMask = Float32Array.from(haze, (v) => smoothstep(0.15, 0.9, v) * (heavy ? 0.3 : 0.2));
  paper.tint(hazeMask, [0.55, 0.55, 0.55]);
  paper.ink(cov, [22, 22, 22]);
  // The lid was up: black bands beyond the sheet's edge on two sides, a shadow creeping in.
  const band = new Float32Array(w * h);
  const left = rng.range(25, 60) * (heavy ? 1.6 : 1);
  const top = rng.range(15, 40) * (heavy ? 1.6 : 1);
  const ragged = valueNoise(rng, w, h, 30);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const dl = x - left * (1 + 0.25 * ragged[i]!);
      const dt = y - top * (1 + 0.25 * ragged[i]!);
      const inBand = dl < 0 || dt < 0 ? 1 : 0;
      const shadow = 0.5 * Math.exp(-Math.min(dl, dt) / (heavy ? 60 : 35));
      band[i] = Math.max(inBand * 0.92, shadow);
    }
  }
  paper.tint(band, [0.12, 0.12, 0.12]);
  return { raster: paper.toRaster(1), ext: 'png' as const, dpi: 300 };
}

export const photocopy: ClassSpec = {
  geometry: () => sheet(A4_300.w, A4_300.h, A4_300.dpi),
  face: 'serif',
  sizePt: 11.5,
  leading: 1.55,
  render,
};
