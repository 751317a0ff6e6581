/**
 * carbon: faded carbon copies of typewritten pages. The carbon transfers faint and uneven ink (soft
 * pressure patches, the carbon's grain breaking strokes into specks), a slipped carbon adds an offset
 * ghost, and the thin onion-skin sheet spreads it all. Variants: `violet` (blue-violet carbon, the
 * default), `black`. Heavy: a faded violet copy under dense salt-and-pepper speckle (dark specks on the
 * page, light ones knocked out of the strokes), as a worn scanner or a dusty glass leaves it.
 */
import { carbonCopy } from '../../render/damage.js';
import { rawSharp } from '../../render/raster.js';
import type { Rng } from '../../render/rng.js';
import { Canvas, type Coverage, type Rgb } from '../canvas.js';
import { A4_300, type ClassSpec } from '../class-spec.js';
import { sheet } from '../layout.js';
import { blurCoverage, knockOut, specks } from '../marks.js';
import { inkRaster } from '../typed-page.js';
import type { HardPageOptions, LaidPage } from '../types.js';

const INKS: Record<string, Rgb> = { violet: [92, 62, 150], black: [46, 44, 52], blue: [48, 70, 150] };

async function render(page: LaidPage, rng: Rng, o: HardPageOptions) {
  const heavy = o.severity === 'heavy';
  const ink = await inkRaster(page, rng, { skewDeg: rng.range(-0.5, 0.5), blur: 1 });
  const dx = rng.int(2, 4) * (rng.next() < 0.5 ? -1 : 1);
  const dy = rng.int(3, 5);
  const copied = carbonCopy(ink, rng, { strength: heavy ? 0.46 : 0.42, pressure: heavy ? 0.4 : 0.5, speckle: 0.9, ghost: 0.4, ghostDx: dx, ghostDy: dy });
  // The carbon's grain and the ghost are made on the sharp strokes; the thin sheet then spreads it all.
  const { data } = await rawSharp(copied).blur(2.2).raw().toBuffer({ resolveWithObject: true });
  const w = page.width;
  const h = page.height;
  let cov: Coverage = { width: w, height: h, data: Float32Array.from(data, (v) => 1 - v / 255) };
  const paper = Canvas.paper(rng, w, h, { tone: [228, 226, 212], shade: 7, mottle: 2, fibres: 0.0015, fibreDepth: 16 });
  if (heavy) {
    // Light specks knocked out of the strokes, dark ones all over the page.
    cov = knockOut(cov, specks(rng, w, h, { perMillion: 1000, radius: [0.5, 1.4] }));
    paper.ink(cov, INKS[o.variant ?? 'violet'] ?? INKS.violet!);
    const pepper = blurCoverage({ width: w, height: h, data: specks(rng, w, h, { perMillion: 700, radius: [0.5, 1.8], strength: [0.4, 0.9] }) }, 0.6);
    paper.ink(pepper, [58, 52, 70]);
  } else {
    paper.ink(cov, INKS[o.variant ?? 'violet'] ?? INKS.violet!);
  }
  paper.grain(rng, 0.8);
  return { raster: paper.toRaster(3), ext: 'jpg' as const, dpi: 300 };
}

export const carbon: ClassSpec = {
  geometry: () => sheet(A4_300.w, A4_300.h, A4_300.dpi),
  face: 'typewriter',
  sizePt: 12,
  leading: 1.9,
  render,
};
