/**
 * Pen handwriting as SVG polylines: words of joined cursive letter shapes (arches as in m/n, small
 * loops as in e, tall loops as in l/d, descender loops as in g, rounds as in a/o), slanted, on a
 * baseline that drifts, with an occasional dot or crossbar. Not real words: on the pages it is noise
 * that crosses the typed text as a clerk's note or initials do.
 */
import type { Rng } from '../render/rng.js';

type Pt = [number, number];

/** One letter's path in x-height units, starting and ending on the baseline (y up). */
function letter(rng: Rng): { pts: Pt[]; width: number; mark?: Pt } {
  const kind = rng.next();
  const pts: Pt[] = [];
  const arc = (cx: number, cy: number, rx: number, ry: number, a0: number, a1: number, n = 14): void => {
    for (let i = 0; i <= n; i++) {
      const a = a0 + ((a1 - a0) * i) / n;
      pts.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
    }
  };
  if (kind < 0.3) {
    // Arches: n or m.
    const humps = rng.next() < 0.5 ? 2 : 3;
    for (let k = 0; k < humps; k++) arc(0.3 + k * 0.55, 0.55, 0.27, 0.45, Math.PI, 0);
    return { pts, width: 0.3 + humps * 0.55 };
  }
  if (kind < 0.5) {
    // Small loop: e.
    pts.push([0, 0]);
    arc(0.3, 0.5, 0.22, 0.3, -Math.PI * 0.75, Math.PI * 1.2);
    pts.push([0.6, 0]);
    return { pts, width: 0.6 };
  }
  if (kind < 0.65) {
    // Tall loop: l, d, b.
    const tall = rng.range(1.9, 2.5);
    pts.push([0, 0]);
    arc(0.35, tall / 2, 0.2, tall / 2, -Math.PI * 0.6, Math.PI * 1.5);
    pts.push([0.55, 0]);
    return { pts, width: 0.6 };
  }
  if (kind < 0.78) {
    // Descender loop: g, j.
    arc(0.3, 0.5, 0.28, 0.45, 0, Math.PI * 2);
    pts.push([0.55, 0.5], [0.5, -0.8]);
    arc(0.35, -0.8, 0.18, 0.5, 0, -Math.PI * 1.1);
    pts.push([0.7, 0]);
    return { pts, width: 0.75 };
  }
  if (kind < 0.92) {
    // Round: a, o.
    pts.push([0, 0.2]);
    arc(0.35, 0.5, 0.3, 0.45, Math.PI * 0.1, Math.PI * 2.1);
    pts.push([0.7, 0]);
    return { pts, width: 0.7 };
  }
  // i or t: an upstroke with a dot or a crossbar.
  const t = rng.next() < 0.5;
  pts.push([0, 0], [0.25, t ? 1.6 : 1], [0.3, 0], [0.5, 0.2]);
  return { pts, width: 0.5, mark: t ? [0.05, 1.1] : [0.3, 1.6] };
}

/** A handwritten word of `width` px at x-height `h` px, starting at (x, baseline y). */
export function cursiveWord(rng: Rng, x: number, y: number, width: number, h: number, stroke: number, ink = '#000'): string {
  const pts: Pt[] = [];
  const marks: Pt[] = [];
  let cx = 0;
  const slant = rng.range(0.2, 0.4);
  const drift = rng.range(-0.08, 0.08);
  while (cx * h < width) {
    const l = letter(rng);
    const sx = rng.range(0.85, 1.2);
    for (const [px, py] of l.pts) pts.push([cx + px * sx, py]);
    if (l.mark) marks.push([cx + l.mark[0] * sx, l.mark[1]]);
    cx += l.width * sx + rng.range(0.05, 0.2);
  }
  const toPage = ([px, py]: Pt): string => {
    const jx = rng.gauss() * 0.015;
    const jy = rng.gauss() * 0.015;
    return `${(x + (px + jx + slant * py) * h).toFixed(1)},${(y - (py + jy + drift * px) * h).toFixed(1)}`;
  };
  let svg = `<polyline points="${pts.map(toPage).join(' ')}" fill="none" stroke="${ink}" stroke-width="${stroke.toFixed(1)}" stroke-linecap="round" stroke-linejoin="round"/>`;
  for (const [mx, my] of marks) {
    const [a, b] = [toPage([mx - 0.15, my]), toPage([mx + 0.25, my + 0.05])];
    svg += `<polyline points="${a} ${b}" fill="none" stroke="${ink}" stroke-width="${stroke.toFixed(1)}" stroke-linecap="round"/>`;
  }
  return svg;
}

/** A line of handwriting: words of varying width over `width` px, turned by `angle` degrees. */
export function handwrittenLine(rng: Rng, x: number, y: number, width: number, h: number, angle: number, stroke: number): string {
  const parts: string[] = [];
  let cx = x;
  while (cx < x + width - h * 2) {
    const ww = Math.min(x + width - cx, h * rng.range(1.5, 5));
    parts.push(cursiveWord(rng, cx, y, ww, h, stroke));
    cx += ww + h * rng.range(0.8, 1.4);
  }
  return `<g transform="rotate(${angle.toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})">${parts.join('')}</g>`;
}
