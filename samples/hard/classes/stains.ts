/**
 * stains: a typed page on browned, mottled paper that was kept badly: coffee rings (a dark rim where
 * the liquid dried, a faint fill, often incomplete), a coffee spill, foxing (rust spots, some in
 * clusters), a water stain with its tide line, uneven light. Colour JPEG, 300 DPI. Heavy: a spill over
 * the body text, more rings and foxing, darker paper.
 */
import { agedDamage } from '../../render/damage.js';
import { valueNoise } from '../../render/raster.js';
import type { Rng } from '../../render/rng.js';
import { Canvas } from '../canvas.js';
import { A4_300, type ClassSpec } from '../class-spec.js';
import { sheet } from '../layout.js';
import { inkCoverage } from '../typed-page.js';
import type { HardPageOptions, LaidPage } from '../types.js';

const COFFEE = [0.72, 0.52, 0.3] as const;

/** A coffee ring: a dark rim, sharp inside and soft outside, a faint fill; parts of the rim missing. */
function ring(rng: Rng, w: number, h: number, cx: number, cy: number, r: number, k: number, mask: Float32Array): void {
  const gaps = Array.from({ length: 3 }, () => [rng.range(0, 2 * Math.PI), rng.range(0.6, 2.2)] as const);
  const wob = [rng.range(0, 6.3), rng.range(0.01, 0.025), rng.range(0, 6.3)] as const;
  const rim = r * rng.range(0.012, 0.02);
  for (let y = Math.max(0, Math.floor(cy - r * 1.1)); y < Math.min(h, Math.ceil(cy + r * 1.1)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r * 1.1)); x < Math.min(w, Math.ceil(cx + r * 1.1)); x++) {
      const ang = Math.atan2(y - cy, x - cx);
      const rr = r * (1 + wob[1] * Math.sin(3 * ang + wob[0]) + 0.5 * wob[1] * Math.sin(7 * ang + wob[2]));
      const d = Math.hypot(x - cx, y - cy) - rr;
      let along = 1;
      for (const [at, width] of gaps) {
        const da = Math.abs(Math.atan2(Math.sin(ang - at), Math.cos(ang - at)));
        along *= 1 - 0.85 * Math.exp(-((da / (width * 0.3)) ** 2));
      }
      const edge = d < 0 ? Math.exp(-((d / rim) ** 2)) : Math.exp(-((d / (rim * 2.5)) ** 2));
      const fill = d < 0 ? 0.12 : 0;
      const v = k * (edge * along + fill);
      const i = y * w + x;
      if (v > mask[i]!) mask[i] = v;
    }
  }
}

/** A spill: an irregular blot, darker toward its edge where it dried. */
function spill(rng: Rng, w: number, h: number, cx: number, cy: number, r: number, k: number, mask: Float32Array): void {
  const rough = valueNoise(rng, w, h, 45);
  const harm = Array.from({ length: 5 }, (_, j) => [rng.range(0, 6.28), rng.range(0.05, 0.14) / (j + 1), j + 2] as const);
  for (let y = Math.max(0, Math.floor(cy - r * 1.6)); y < Math.min(h, Math.ceil(cy + r * 1.6)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r * 1.6)); x < Math.min(w, Math.ceil(cx + r * 1.6)); x++) {
      const ang = Math.atan2(y - cy, x - cx);
      let rr = r;
      for (const [ph, amp, j] of harm) rr *= 1 + amp * Math.sin(j * ang + ph);
      const d = Math.hypot(x - cx, y - cy) / rr + 0.06 * rough[y * w + x]!;
      if (d > 1.04) continue;
      const v = k * (d < 1 ? 0.45 + 0.35 * d ** 4 : 0) + k * 0.6 * Math.exp(-(((d - 1) / 0.018) ** 2));
      const i = y * w + x;
      if (v > mask[i]!) mask[i] = v;
    }
  }
}

async function render(page: LaidPage, rng: Rng, o: HardPageOptions) {
  const heavy = o.severity === 'heavy';
  const w = page.width;
  const h = page.height;
  const typed = await inkCoverage(page, rng, { skewDeg: rng.range(-0.5, 0.5), blur: 0.8 });
  const fade = valueNoise(rng, w, h, 120);
  const strength = Float32Array.from(fade, (v) => 0.82 + 0.12 * v);
  const tone = heavy ? ([214, 188, 140] as const) : ([226, 206, 160] as const);
  const paper = Canvas.paper(rng, w, h, { tone, shade: 12, mottle: heavy ? 9 : 6, fibres: 0.001, fibreDepth: 14 });
  paper.ink(typed, [46, 38, 34], strength);
  const coffee = new Float32Array(w * h);
  const rings = heavy ? 3 : rng.int(1, 2);
  for (let k = 0; k < rings; k++) ring(rng, w, h, w * rng.range(0.2, 0.8), h * rng.range(0.15, 0.85), rng.range(330, 450), rng.range(0.45, 0.7), coffee);
  if (heavy || rng.next() < 0.5) {
    const at = page.lines[Math.floor(page.lines.length * rng.range(0.3, 0.7))]!;
    spill(rng, w, h, w * rng.range(0.35, 0.65), at.y, rng.range(heavy ? 280 : 180, heavy ? 380 : 260), heavy ? 0.55 : 0.4, coffee);
  }
  paper.tint(coffee, COFFEE);
  const r = agedDamage(paper.toRaster(3), rng, {
    light: heavy ? 0.16 : 0.1,
    spine: rng.range(0.1, 0.3),
    foxing: heavy ? 110 : rng.int(40, 70),
    stain: { cx: w * rng.range(0.2, 0.8), cy: h * rng.range(0.2, 0.8), r: w * rng.range(0.12, 0.2), tide: heavy ? 0.3 : 0.22, fill: 0.16 },
    grain: 1,
    pepper: 0.0004,
    salt: 0.0002,
  });
  return { raster: r, ext: 'jpg' as const, dpi: 300 };
}

export const stains: ClassSpec = {
  geometry: () => sheet(A4_300.w, A4_300.h, A4_300.dpi),
  face: 'serif',
  sizePt: 11.5,
  leading: 1.6,
  render,
};
