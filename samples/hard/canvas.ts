/**
 * A floating-point RGB page that degradations are composed on, and coverage maps (0 = paper,
 * 1 = full ink) that are laid onto it. Inks multiply the page, as dye and toner do: a red stamp over
 * black type leaves the type black, a stain darkens ink and paper alike.
 */
import type { Raster } from '../render/raster.js';
import { valueNoise } from '../render/raster.js';
import type { Rng } from '../render/rng.js';
import { blurMap } from './marks.js';

export type Rgb = readonly [number, number, number];

/** Ink coverage, one float per pixel: 0 = none, 1 = full. */
export interface Coverage {
  width: number;
  height: number;
  data: Float32Array;
}

export function coverageOf(r: Raster): Coverage {
  const n = r.width * r.height;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = 1 - r.data[i * r.channels]! / 255;
  return { width: r.width, height: r.height, data };
}

export function emptyCoverage(width: number, height: number): Coverage {
  return { width, height, data: new Float32Array(width * height) };
}

export interface PaperTone {
  tone: Rgb;
  /** Large soft shading (levels), cell ≈ 300 px at 300 DPI. */
  shade?: number;
  /** Finer mottling (levels), cell ≈ 40 px. */
  mottle?: number;
  /** Fraction of pixels with a fibre speck, and its depth in levels. */
  fibres?: number;
  fibreDepth?: number;
}

export class Canvas {
  readonly data: Float32Array;
  /** When set, ink coverage is quantised to this many steps as it is laid (as samples/render/paper.ts
   *  does): anti-aliased and blurred edges are what make greyscale PNGs big, the paper's shading is not. */
  inkLevels = 0;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height * 3);
  }

  /** A sheet of paper: a tone with soft shading, mottling and fibre specks. */
  static paper(rng: Rng, width: number, height: number, p: PaperTone): Canvas {
    const c = new Canvas(width, height);
    const scale = width / 2480;
    const shade = p.shade ? valueNoise(rng, width, height, Math.max(20, Math.round(300 * scale))) : null;
    // Value noise shows its grid as soft squares; a blur of a third of a cell hides it.
    const cell = Math.max(6, Math.round(40 * scale));
    const mottle = p.mottle ? blurMap(valueNoise(rng, width, height, cell), width, height, cell / 3) : null;
    for (let i = 0, n = width * height; i < n; i++) {
      let d = (shade ? p.shade! * shade[i]! : 0) + (mottle ? p.mottle! * mottle[i]! : 0);
      if (p.fibres && rng.next() < p.fibres) d -= (p.fibreDepth ?? 20) * rng.range(0.4, 1);
      for (let k = 0; k < 3; k++) c.data[i * 3 + k] = p.tone[k]! + d * (p.tone[k]! / 255);
    }
    return c;
  }

  /** Lays ink of `colour` where `cov` says, times `strength` (a number or a per-pixel map). */
  ink(cov: Coverage, colour: Rgb, strength: number | Float32Array = 1): this {
    this.check(cov);
    const t = colour.map((v) => 1 - v / 255);
    for (let i = 0, n = this.width * this.height; i < n; i++) {
      let a = cov.data[i]!;
      if (a <= 0) continue;
      a *= typeof strength === 'number' ? strength : strength[i]!;
      if (a > 1) a = 1;
      if (this.inkLevels > 1) a = Math.round(a * (this.inkLevels - 1)) / (this.inkLevels - 1);
      for (let k = 0; k < 3; k++) this.data[i * 3 + k]! *= 1 - a * t[k]!;
    }
    return this;
  }

  /** Tints the page (paper and ink) toward `tint` (a multiplier per channel) by `mask` × `k`. */
  tint(mask: Float32Array, tint: Rgb, k = 1): this {
    for (let i = 0, n = this.width * this.height; i < n; i++) {
      const a = mask[i]! * k;
      if (a <= 0) continue;
      for (let c = 0; c < 3; c++) this.data[i * 3 + c]! *= 1 - Math.min(1, a) * (1 - tint[c]!);
    }
    return this;
  }

  /** Blends toward a flat colour (a lighter or darker patch, light falling on the page) by `mask` × `k`. */
  toward(mask: Float32Array, colour: Rgb, k = 1): this {
    for (let i = 0, n = this.width * this.height; i < n; i++) {
      const a = Math.min(1, Math.max(0, mask[i]! * k));
      if (a === 0) continue;
      for (let c = 0; c < 3; c++) this.data[i * 3 + c] = this.data[i * 3 + c]! * (1 - a) + colour[c]! * a;
    }
    return this;
  }

  /** Scanner or camera grain: gaussian noise of `sigma` levels, the same on every channel. */
  grain(rng: Rng, sigma: number): this {
    for (let i = 0, n = this.width * this.height; i < n; i++) {
      const g = rng.gauss() * sigma;
      for (let c = 0; c < 3; c++) this.data[i * 3 + c]! += g;
    }
    return this;
  }

  private check(cov: Coverage): void {
    if (cov.width !== this.width || cov.height !== this.height) throw new Error(`coverage ${cov.width}×${cov.height} on a ${this.width}×${this.height} page`);
  }

  /** To 8 bits, RGB or grey (Rec. 601 luma). */
  toRaster(channels: 1 | 3): Raster {
    const n = this.width * this.height;
    const out = Buffer.alloc(n * channels);
    const put = (j: number, v: number): void => {
      out[j] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    };
    for (let i = 0; i < n; i++) {
      if (channels === 3) for (let c = 0; c < 3; c++) put(i * 3 + c, this.data[i * 3 + c]!);
      else put(i, 0.299 * this.data[i * 3]! + 0.587 * this.data[i * 3 + 1]! + 0.114 * this.data[i * 3 + 2]!);
    }
    return { width: this.width, height: this.height, channels, data: out };
  }

  static fromRaster(r: Raster): Canvas {
    const c = new Canvas(r.width, r.height);
    for (let i = 0, n = r.width * r.height; i < n; i++) for (let k = 0; k < 3; k++) c.data[i * 3 + k] = r.data[i * r.channels + (r.channels === 3 ? k : 0)]!;
    return c;
  }
}
