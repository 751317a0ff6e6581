/**
 * Small raster marks and filters shared by the classes: blur of coverage maps, soft thickening and
 * thinning of strokes, salt-and-pepper specks, dust blobs, hairs, and soft-edged masks.
 */
import type { Rng } from '../render/rng.js';
import type { Coverage } from './canvas.js';

/** Box blur of radius r along rows then columns, in place on a copy. */
function boxPass(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const norm = 1 / (2 * r + 1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let x = -r; x <= r; x++) acc += src[row + Math.min(w - 1, Math.max(0, x))]!;
    for (let x = 0; x < w; x++) {
      tmp[row + x] = acc * norm;
      acc += src[row + Math.min(w - 1, x + r + 1)]! - src[row + Math.max(0, x - r)]!;
    }
  }
  for (let x = 0; x < w; x++) {
    let acc = 0;
    for (let y = -r; y <= r; y++) acc += tmp[Math.min(h - 1, Math.max(0, y)) * w + x]!;
    for (let y = 0; y < h; y++) {
      out[y * w + x] = acc * norm;
      acc += tmp[Math.min(h - 1, y + r + 1) * w + x]! - tmp[Math.max(0, y - r) * w + x]!;
    }
  }
  return out;
}

/** Approximately gaussian blur (three box passes) of a float map. */
export function blurMap(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma < 0.3) return src.slice();
  // Three boxes of radius r have variance 3·r(r+1)/3 = r(r+1); pick r so that matches sigma².
  const r = Math.max(1, Math.round((Math.sqrt(1 + 4 * sigma * sigma) - 1) / 2));
  return boxPass(boxPass(boxPass(src, w, h, r), w, h, r), w, h, r);
}

export function blurCoverage(c: Coverage, sigma: number): Coverage {
  return { width: c.width, height: c.height, data: blurMap(c.data, c.width, c.height, sigma) };
}

/** Thicker strokes: blur, then a steep curve around `cut` (below 0.5 thickens, above thins). */
export function reshape(c: Coverage, sigma: number, cut: number, steep = 6): Coverage {
  const b = blurMap(c.data, c.width, c.height, sigma);
  const out = new Float32Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const v = b[i]!;
    out[i] = v <= 0.002 ? 0 : 1 / (1 + Math.exp(-steep * 2 * (v - cut) / Math.max(0.05, Math.min(cut, 1 - cut))));
  }
  return { width: c.width, height: c.height, data: out };
}

/** A filled disk of coverage `a` (max-combined) with a soft 1 px rim. */
export function disk(m: Float32Array, w: number, h: number, cx: number, cy: number, r: number, a = 1): void {
  const x0 = Math.max(0, Math.floor(cx - r - 1));
  const x1 = Math.min(w - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1));
  const y1 = Math.min(h - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x - cx, y - cy) - r;
      const v = a * Math.min(1, Math.max(0, 0.5 - d));
      const i = y * w + x;
      if (v > m[i]!) m[i] = v;
    }
  }
}

/** An irregular speck: a few overlapping disks around a centre. */
export function blob(m: Float32Array, w: number, h: number, rng: Rng, cx: number, cy: number, r: number, a = 1): void {
  const n = r < 1.5 ? 1 : rng.int(2, 5);
  for (let k = 0; k < n; k++) disk(m, w, h, cx + rng.gauss() * r * 0.45, cy + rng.gauss() * r * 0.45, r * rng.range(0.55, 1), a);
}

/** A hair or fibre: a thin curved stroke of `len` px. */
export function hair(m: Float32Array, w: number, h: number, rng: Rng, x: number, y: number, len: number, width: number, a = 1): void {
  let ang = rng.range(0, 2 * Math.PI);
  const turn = rng.range(-0.004, 0.004);
  for (let s = 0; s < len; s += 0.7) {
    disk(m, w, h, x, y, width / 2, a);
    ang += turn + rng.gauss() * 0.004;
    x += Math.cos(ang) * 0.7;
    y += Math.sin(ang) * 0.7;
  }
}

export interface SpeckOptions {
  /** Specks per million pixels. */
  perMillion: number;
  /** Radius range, px. */
  radius: [number, number];
  /** Darkness range (coverage) of each speck. */
  strength?: [number, number];
}

/** Scattered specks (pepper when laid as ink, salt when used to knock ink out). */
export function specks(rng: Rng, w: number, h: number, o: SpeckOptions, into?: Float32Array): Float32Array {
  const m = into ?? new Float32Array(w * h);
  const count = Math.round((o.perMillion * w * h) / 1e6);
  const [s0, s1] = o.strength ?? [1, 1];
  for (let k = 0; k < count; k++) {
    // Mostly tiny, a few larger: radius drawn toward the small end.
    const r = o.radius[0] + (o.radius[1] - o.radius[0]) * rng.next() ** 2.2;
    const x = rng.range(0, w);
    const y = rng.range(0, h);
    const a = rng.range(s0, s1);
    if (r < 0.9) {
      const i = Math.floor(y) * w + Math.floor(x);
      if (a > m[i]!) m[i] = a;
    } else blob(m, w, h, rng, x, y, r, a);
  }
  return m;
}

/** Removes ink where `holes` > 0 (salt inside strokes, broken strokes). */
export function knockOut(c: Coverage, holes: Float32Array): Coverage {
  const out = new Float32Array(c.data.length);
  for (let i = 0; i < out.length; i++) out[i] = c.data[i]! * (1 - Math.min(1, holes[i]!));
  return { width: c.width, height: c.height, data: out };
}

export function maxInto(target: Float32Array, src: Float32Array, k = 1): Float32Array {
  for (let i = 0; i < target.length; i++) {
    const v = src[i]! * k;
    if (v > target[i]!) target[i] = v;
  }
  return target;
}

/** A smooth ramp mask: 0 before `a`, 1 after `b` (smoothstep). */
export function smoothstep(a: number, b: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
}

/** Darkening toward the sheet's edges: 1 at the edge, 0 further in than `band` px. */
export function edgeMask(w: number, h: number, band: number, power = 2): Float32Array {
  const m = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const ey = Math.max(0, 1 - Math.min(y, h - 1 - y) / band);
    for (let x = 0; x < w; x++) {
      const ex = Math.max(0, 1 - Math.min(x, w - 1 - x) / band);
      m[y * w + x] = Math.max(ex, ey) ** power;
    }
  }
  return m;
}
