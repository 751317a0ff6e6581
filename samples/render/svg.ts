/** SVG pieces shared by the sample generators. */
import type { Rng } from './rng.js';

export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function svgOpen(w: number, h: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#fff"/>`;
}

/** A pen signature: a tall initial, then a run of cursive loops (a prolate cycloid whose loop
 *  heights wander), and an underline flourish. Drawn as a polyline with many points. */
export function scribble(rng: Rng, x: number, baseY: number, w: number, h: number, ink: string, stroke: number): string {
  const pts: string[] = [];
  const P = (px: number, py: number): void => {
    pts.push(`${px.toFixed(1)},${py.toFixed(1)}`);
  };
  // Initial capital: one tall loop.
  const capH = h * rng.range(0.9, 1.15);
  const capW = w * 0.12;
  for (let i = 0; i <= 40; i++) {
    const t = (i / 40) * 2 * Math.PI;
    P(x + capW * 0.5 * (1 - Math.cos(t)) * 0.6 + (capW * i) / 40, baseY - capH * 0.5 * (1 - Math.cos(t / 2)) * (1 - 0.3 * Math.sin(t)));
  }
  // Cursive body: loops of wandering height and width.
  const loops = rng.int(6, 9);
  const x0 = x + capW;
  const span = w * 0.85 - capW;
  const a = span / (loops * 2 * Math.PI);
  const heights = Array.from({ length: loops + 1 }, () => h * rng.range(0.25, 0.75));
  const steps = loops * 36;
  for (let i = 0; i <= steps; i++) {
    const t = (i / steps) * loops * 2 * Math.PI;
    const k = t / (2 * Math.PI);
    const j = Math.min(loops - 1, Math.floor(k));
    const f = k - j;
    const amp = heights[j]! + (heights[j + 1]! - heights[j]!) * (f * f * (3 - 2 * f));
    const b = a * 2;
    const yy = baseY - amp * 0.5 * (1 + Math.cos(t)) - rng.range(-0.6, 0.6);
    P(x0 + a * t - b * Math.sin(t) + 0.4 * (baseY - yy), yy); // slanted to the right
  }
  // Flourish: back under the name.
  const endX = x0 + span;
  for (let i = 1; i <= 30; i++) {
    const t = i / 30;
    P(endX + w * 0.08 * Math.sin(t * Math.PI) - (endX - x - w * 0.05) * t * t, baseY + h * 0.18 * Math.sin(t * Math.PI * 0.9));
  }
  return `<polyline points="${pts.join(' ')}" fill="none" stroke="${ink}" stroke-width="${stroke.toFixed(1)}" stroke-linecap="round" stroke-linejoin="round"/>`;
}
