/**
 * mimeograph: duplicated copies. `spirit` (the default): a spirit duplicator's purple aniline dye,
 * strong where the master pressed hardest and fading toward one edge, strokes bled into the paper
 * with a soft halo. `stencil`: a stencil mimeograph's grey-black oil ink on rough absorbent paper,
 * thickened strokes whose counters start to fill, bands of weaker ink from the drum and stray ink
 * specks. Heavy: the fading reaches much further and the bleed is wider.
 */
import { valueNoise } from '../../render/raster.js';
import type { Rng } from '../../render/rng.js';
import { Canvas, type Coverage } from '../canvas.js';
import { A4_300, type ClassOutput, type ClassSpec } from '../class-spec.js';
import { sheet } from '../layout.js';
import { blurCoverage, reshape, smoothstep, specks } from '../marks.js';
import { inkCoverage } from '../typed-page.js';
import type { HardPageOptions, LaidPage } from '../types.js';

/** Ink strength over the page: heavy around a centre, fading toward one edge, with soft patches. */
function unevenInk(rng: Rng, w: number, h: number, heavy: boolean): Float32Array {
  const patches = valueNoise(rng, w, h, 220);
  const edge = rng.int(0, 3); // 0 right, 1 bottom, 2 left, 3 top
  const cx = w * rng.range(0.4, 0.6);
  const cy = h * rng.range(0.35, 0.55);
  const lowest = heavy ? 0.42 : 0.6;
  const m = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = edge === 0 ? x / w : edge === 1 ? y / h : edge === 2 ? 1 - x / w : 1 - y / h;
      const fade = 1 - (1 - lowest) * smoothstep(heavy ? 0.3 : 0.45, 1, t);
      const centre = Math.exp(-(((x - cx) / (w * 0.45)) ** 2 + ((y - cy) / (h * 0.45)) ** 2));
      m[y * w + x] = fade * (0.82 + 0.22 * centre) * (1 + 0.12 * patches[y * w + x]!);
    }
  }
  return m;
}

/** Fine grain in the transfer: the ink deposits in specks along the strokes (±`k`). */
function grainy(rng: Rng, c: Coverage, k: number, cell: number): Coverage {
  const n = valueNoise(rng, c.width, c.height, cell);
  return { width: c.width, height: c.height, data: c.data.map((v, i) => v * Math.max(0, 1 + k * n[i]!)) };
}

async function spirit(page: LaidPage, rng: Rng, heavy: boolean): Promise<ClassOutput> {
  const w = page.width;
  const h = page.height;
  const typed = await inkCoverage(page, rng, { skewDeg: rng.range(-0.6, 0.6), blur: 0.8 });
  // The dye bleeds: thicker, grainy strokes, plus a faint halo around them.
  const body = reshape(grainy(rng, typed, 0.5, 3), heavy ? 1.9 : 1.6, 0.42);
  const halo = blurCoverage(typed, heavy ? 7 : 5);
  const cov: Coverage = { width: w, height: h, data: body.data.map((v, i) => Math.min(1, 0.85 * v + 0.55 * halo.data[i]!)) };
  const strength = unevenInk(rng, w, h, heavy);
  const paper = Canvas.paper(rng, w, h, { tone: [238, 236, 228], shade: 5, mottle: 2, fibres: 0.001, fibreDepth: 12 });
  // A faint purple cast in streaks along the drum's travel, where the master left dye on the paper.
  const streaks = valueNoise(rng, w, h, 120);
  const cast = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) cast[y * w + x] = Math.max(0, streaks[Math.floor(y / 8) * 8 * w + Math.floor(x / 40) * 40]! - 0.2) * (heavy ? 0.09 : 0.06);
  paper.ink({ width: w, height: h, data: cast }, [120, 60, 170]);
  paper.ink(cov, [112, 52, 166], strength);
  paper.grain(rng, 0.8);
  return { raster: paper.toRaster(3), ext: 'jpg', dpi: 300 };
}

async function stencil(page: LaidPage, rng: Rng, heavy: boolean): Promise<ClassOutput> {
  const w = page.width;
  const h = page.height;
  const typed = await inkCoverage(page, rng, { skewDeg: rng.range(-0.6, 0.6), blur: 0.8 });
  // Oil ink spreads in the absorbent paper: thicker, ragged strokes, counters closing up.
  const cov = reshape(grainy(rng, typed, 0.7, 2.5), heavy ? 3.2 : 2.8, heavy ? 0.24 : 0.27);
  const strength = unevenInk(rng, w, h, heavy);
  // Bands across the page where the drum carried less ink.
  const bandPhase = rng.range(0, 2 * Math.PI);
  const bandPeriod = rng.range(500, 800);
  for (let y = 0; y < h; y++) {
    const band = 1 - 0.15 * (0.5 + 0.5 * Math.sin((2 * Math.PI * y) / bandPeriod + bandPhase));
    for (let x = 0; x < w; x++) strength[y * w + x]! *= band;
  }
  const paper = Canvas.paper(rng, w, h, { tone: [226, 224, 216], shade: 6, mottle: 3, fibres: 0.002, fibreDepth: 22 });
  paper.inkLevels = 16;
  paper.ink(cov, [44, 44, 48], strength);
  const splashes = blurCoverage({ width: w, height: h, data: specks(rng, w, h, { perMillion: heavy ? 60 : 30, radius: [0.8, 3.5], strength: [0.4, 0.9] }) }, 0.8);
  paper.ink(splashes, [50, 50, 54]);
  return { raster: paper.toRaster(1), ext: 'png', dpi: 300 };
}

export const mimeograph: ClassSpec = {
  geometry: () => sheet(A4_300.w, A4_300.h, A4_300.dpi),
  face: 'typewriter',
  sizePt: 12,
  leading: 1.7,
  render: (page, rng, o: HardPageOptions) => (o.variant === 'stencil' ? stencil(page, rng, o.severity === 'heavy') : spirit(page, rng, o.severity === 'heavy')),
};
