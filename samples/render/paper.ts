/** Ink laid onto a synthetic sheet of paper. */
import { type Raster, valueNoise } from './raster.js';
import type { Rng } from './rng.js';

export interface PaperOptions {
  /** Paper colour, per channel (1 or 3 values). */
  tone: number[];
  /** Ink colour, per channel. */
  ink: number[];
  /** Amplitude (levels) of the large, soft shading, and of a finer mottling. */
  shade: number;
  mottle?: number;
  /** Quantise ink coverage to this many steps (anti-aliasing and blur are what make PNGs big). */
  inkLevels?: number;
  /** Fraction of pixels carrying a fibre/grain speck, and its darkness in levels. */
  grain: number;
  grainDepth: number;
  /** Darkening toward the page edges (scanner lid shadow), levels. */
  edge: number;
  /** Stains: soft blotches and coffee rings, as [multiplier per channel]. */
  stains?: { count: number; tint: number[]; strength: number };
}

/** Lays ink (from a white-background raster) onto a synthetic sheet of paper. */
export function onPaper(ink: Raster, rng: Rng, o: PaperOptions): Raster {
  const { width: w, height: h } = ink;
  const ch = o.tone.length;
  const shade = valueNoise(rng, w, h, 260);
  const fine = o.mottle ? valueNoise(rng, w, h, 37) : null;
  const q = o.inkLevels ? o.inkLevels - 1 : 0;
  const stainField = new Float32Array(w * h);
  if (o.stains) {
    for (let s = 0; s < o.stains.count; s++) {
      const cx = rng.range(0.1, 0.9) * w;
      const cy = rng.range(0.1, 0.9) * h;
      const rad = rng.range(0.04, 0.11) * w;
      const ring = rng.next() < 0.5;
      const k = o.stains.strength * rng.range(0.5, 1);
      const x0 = Math.max(0, Math.floor(cx - rad * 1.3));
      const x1 = Math.min(w, Math.ceil(cx + rad * 1.3));
      const y0 = Math.max(0, Math.floor(cy - rad * 1.3));
      const y1 = Math.min(h, Math.ceil(cy + rad * 1.3));
      const wobble = [rng.range(0, 6.28), rng.range(0.02, 0.05), rng.int(2, 3), rng.range(0, 6.28), rng.range(0.01, 0.025), rng.int(5, 7)] as const;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const dx = x - cx;
          const dy = y - cy;
          const ang = Math.atan2(dy, dx);
          const r = Math.sqrt(dx * dx + dy * dy) / (rad * (1 + wobble[1] * Math.sin(wobble[2] * ang + wobble[0]) + wobble[4] * Math.sin(wobble[5] * ang + wobble[3])));
          let v: number;
          if (ring) v = Math.exp(-((r - 1) * (r - 1)) / 0.004) + 0.25 * Math.max(0, 1 - r);
          else v = Math.max(0, 1 - r * r) ** 1.5;
          stainField[y * w + x] = Math.max(stainField[y * w + x]!, v * k);
        }
      }
    }
  }
  const out = Buffer.alloc(w * h * ch);
  const edgeW = Math.round(w * 0.03);
  for (let y = 0; y < h; y++) {
    const ey = Math.max(0, 1 - Math.min(y, h - 1 - y) / edgeW);
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const ex = Math.max(0, 1 - Math.min(x, w - 1 - x) / edgeW);
      let dark = o.shade * shade[i]! + (fine ? o.mottle! * fine[i]! : 0) - o.edge * Math.max(ex, ey) ** 2;
      if (rng.next() < o.grain) dark -= o.grainDepth * rng.range(0.4, 1);
      const st = stainField[i]!;
      for (let c = 0; c < ch; c++) {
        let a = ink.data[i * ink.channels + (ink.channels === 3 ? c : 0)]! / 255; // 1 = paper, 0 = ink
        if (q) a = Math.round(a * q) / q;
        let paper = o.tone[c]! + dark;
        if (st > 0 && o.stains) paper *= 1 - st * (1 - o.stains.tint[c]!);
        const v = paper * a + o.ink[c]! * (1 - a);
        out[i * ch + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  }
  return { width: w, height: h, channels: ch, data: out };
}
