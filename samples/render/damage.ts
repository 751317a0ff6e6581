/** Damage done to a finished page: a carbon copy's faint, grainy transfer; ageing and scanner damage. */
import { type Raster, valueNoise } from './raster.js';
import type { Rng } from './rng.js';

/** A carbon copy from a typewriter raster (white background, grey ink): the carbon transfers less
 *  and less evenly than the ribbon, so ink coverage is scaled down, varies in soft patches with the
 *  pressure on the sheet and in fine specks with the carbon's grain, and a slipped carbon adds a
 *  faint offset ghost of every stroke. */
export function carbonCopy(
  ink: Raster,
  rng: Rng,
  o: { strength: number; pressure: number; speckle: number; ghost: number; ghostDx: number; ghostDy: number },
): Raster {
  const { width: w, height: h } = ink;
  const patch = valueNoise(rng, w, h, 180);
  const fine = valueNoise(rng, w, h, 4); // the carbon's grain: strokes deposit in specks, some gaps
  const out = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const cov = 1 - ink.data[i]! / 255;
      const gx = x - o.ghostDx;
      const gy = y - o.ghostDy;
      const ghost = gx >= 0 && gy >= 0 && gx < w && gy < h ? 1 - ink.data[gy * w + gx]! / 255 : 0;
      const c = Math.min(1, Math.max(cov, ghost * o.ghost) * o.strength * (1 + o.pressure * patch[i]!) * Math.max(0, 1 + o.speckle * fine[i]!));
      out[i] = Math.round(255 * (1 - c));
    }
  }
  return { width: w, height: h, channels: 1, data: out };
}

/** Ageing and scanner damage laid over a finished colour page (values multiply the pixel, ink included):
 *  uneven lighting (a broad gradient and the shadow of a page that did not lie flat), foxing (small
 *  brown spots, some in clusters), one large water stain whose dried edge leaves a darker tide line,
 *  then the scanner's gaussian grain and salt-and-pepper specks. */
export function agedDamage(
  img: Raster,
  rng: Rng,
  o: {
    light: number;
    spine: number;
    foxing: number;
    stain: { cx: number; cy: number; r: number; tide: number; fill: number };
    grain: number;
    pepper: number;
    salt: number;
  },
): Raster {
  const { width: w, height: h, channels: ch } = img;
  if (ch !== 3) throw new Error('agedDamage: expects a colour raster');
  const mul = new Float32Array(w * h * 3).fill(1);
  const tint = (i: number, k: number, t: readonly number[]): void => {
    for (let c = 0; c < 3; c++) mul[i * 3 + c]! *= 1 - k * (1 - t[c]!);
  };
  // Lighting: brighter toward the top right, a soft shadow along the left edge (the lid did not press it flat).
  const broad = valueNoise(rng, w, h, 500);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const g = o.light * ((1 - x / w) * 0.5 + (y / h) * 0.5) + 0.03 * broad[y * w + x]! + o.spine * Math.exp(-x / (w * 0.045));
      tint(y * w + x, Math.max(0, g), [0.78, 0.74, 0.66]);
    }
  }
  // Foxing: round-ish rust spots with a soft rim, some alone, some in small clusters.
  const fox = [0.74, 0.56, 0.36] as const;
  const spot = (cx: number, cy: number, r: number, k: number): void => {
    for (let y = Math.max(0, Math.floor(cy - r * 1.6)); y < Math.min(h, Math.ceil(cy + r * 1.6)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r * 1.6)); x < Math.min(w, Math.ceil(cx + r * 1.6)); x++) {
        const d = Math.hypot(x - cx, y - cy) / r;
        if (d < 1.6) tint(y * w + x, k * (d < 1 ? 1 - 0.3 * d * d : Math.max(0, (1.6 - d) / 0.6) * 0.7), fox);
      }
    }
  };
  for (let s = 0; s < o.foxing; s++) {
    const cx = rng.range(0.03, 0.97) * w;
    const cy = rng.range(0.03, 0.97) * h;
    const n = rng.next() < 0.3 ? rng.int(3, 7) : 1;
    for (let j = 0; j < n; j++) spot(cx + (n > 1 ? rng.gauss() * 14 : 0), cy + (n > 1 ? rng.gauss() * 14 : 0), rng.range(1.5, n > 1 ? 4 : 8), rng.range(0.25, 0.6));
  }
  // Water stain: an irregular blot, faintly darker inside, with a dark tide line where the water dried.
  const st = o.stain;
  const edge = valueNoise(rng, w, h, 60);
  const harm = Array.from({ length: 4 }, (_, k) => [rng.range(0, 6.28), rng.range(0.03, 0.08) / (k + 1), k + 2] as const);
  const tide = [0.8, 0.64, 0.44] as const;
  for (let y = Math.max(0, Math.floor(st.cy - st.r * 1.5)); y < Math.min(h, Math.ceil(st.cy + st.r * 1.5)); y++) {
    for (let x = Math.max(0, Math.floor(st.cx - st.r * 1.5)); x < Math.min(w, Math.ceil(st.cx + st.r * 1.5)); x++) {
      const ang = Math.atan2(y - st.cy, x - st.cx);
      let rr = st.r;
      for (const [ph, amp, k] of harm) rr *= 1 + amp * Math.sin(k * ang + ph);
      const d = Math.hypot(x - st.cx, y - st.cy) / rr + 0.025 * edge[y * w + x]!;
      if (d > 1.05) continue;
      const inside = d < 1 ? st.fill * (0.6 + 0.4 * d * d) : 0;
      const line = st.tide * Math.exp(-((d - 1) * (d - 1)) / 0.0003) + 0.45 * st.tide * Math.exp(-((d - 0.86) * (d - 0.86)) / 0.00008);
      tint(y * w + x, Math.min(1, inside + line), tide);
    }
  }
  const out = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const n = rng.gauss() * o.grain;
    const p = rng.next();
    for (let c = 0; c < 3; c++) {
      let v = img.data[i * 3 + c]! * mul[i * 3 + c]! + n;
      if (p < o.pepper) v = 40 + 30 * c;
      else if (p > 1 - o.salt) v = 250;
      out[i * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return { width: w, height: h, channels: 3, data: out };
}
