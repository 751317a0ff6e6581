/**
 * phone-photo: a typed page photographed with a phone on a desk. The sheet (about 200–250 DPI on the
 * photo) sits in the frame with some desk around it, seen slightly from below (keystone: the far edge
 * narrower, a few degrees) and a little turned; light falls unevenly (vignetting, brighter on one side)
 * and a soft shadow — the phone's and the hand's — lies across part of the page; the lens is a touch
 * soft; sensor noise; JPEG. The density written in the JFIF header is the sheet's on the photo (phones
 * write 72). Heavy: 200 DPI, a darker and wider shadow, more blur and keystone.
 */
import { rawSharp, valueNoise } from '../../render/raster.js';
import type { Rng } from '../../render/rng.js';
import { Canvas } from '../canvas.js';
import type { ClassSpec } from '../class-spec.js';
import { sheet } from '../layout.js';
import { smoothstep } from '../marks.js';
import { inkCoverage } from '../typed-page.js';
import type { HardPageOptions, LaidPage } from '../types.js';

type Pt = readonly [number, number];

/** The homography taking the four `from` points to the four `to` points (row-major 3×3, h33 = 1). */
export function homography(from: readonly Pt[], to: readonly Pt[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return [...Array.from({ length: 8 }, (_, i) => a[i]![8]! / a[i]![i]!), 1];
}

function desk(rng: Rng, w: number, h: number, dark: boolean): Canvas {
  const c = new Canvas(w, h);
  const n = valueNoise(rng, w, h, 90);
  const grain = valueNoise(rng, w, h, 12);
  const tone = dark ? [70, 72, 78] : [150, 104, 66];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const streak = dark ? 0 : 0.5 + 0.5 * Math.sin(y * 0.03 + 2.5 * n[i]!);
      const f = 1 + 0.08 * n[i]! + 0.05 * grain[i]! - 0.12 * streak;
      for (let k = 0; k < 3; k++) c.data[i * 3 + k] = tone[k]! * f;
    }
  }
  return c;
}

async function render(page: LaidPage, rng: Rng, o: HardPageOptions) {
  const heavy = o.severity === 'heavy';
  const sw = page.width;
  const sh = page.height;
  const ink = await inkCoverage(page, rng, { blur: 0.6 });
  const paper = Canvas.paper(rng, sw, sh, { tone: [244, 242, 236], shade: 3 }).ink(ink, [30, 30, 36]);
  const W = Math.round(sw * 1.18);
  const H = Math.round((W * 4) / 3);
  // Where the sheet's corners land: centred, the top edge pulled in (keystone), turned a little.
  const key = (heavy ? rng.range(0.055, 0.075) : rng.range(0.03, 0.05)) * sw;
  const turn = (rng.range(1, 2.5) * (rng.next() < 0.5 ? -1 : 1) * Math.PI) / 180;
  const cx = W / 2 + rng.range(-0.02, 0.02) * W;
  const cy = H / 2 + rng.range(-0.02, 0.02) * H;
  const corners: Pt[] = [
    [-sw / 2 + key, -sh / 2],
    [sw / 2 - key, -sh / 2],
    [sw / 2, sh / 2],
    [-sw / 2, sh / 2],
  ].map(([x, y]) => [cx + x! * Math.cos(turn) - y! * Math.sin(turn), cy + x! * Math.sin(turn) + y! * Math.cos(turn)] as const);
  const back = homography(corners, [
    [0, 0],
    [sw, 0],
    [sw, sh],
    [0, sh],
  ]);
  const photo = desk(rng, W, H, rng.next() < 0.5);
  const s = paper.data;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = back[6]! * x + back[7]! * y + 1;
      const u = (back[0]! * x + back[1]! * y + back[2]!) / d;
      const v = (back[3]! * x + back[4]! * y + back[5]!) / d;
      const inside = Math.min(1, Math.max(0, Math.min(u, v, sw - 1 - u, sh - 1 - v) + 0.5));
      if (inside <= 0) continue;
      const x0 = Math.min(sw - 2, Math.max(0, Math.floor(u)));
      const y0 = Math.min(sh - 2, Math.max(0, Math.floor(v)));
      const fx = Math.min(1, Math.max(0, u - x0));
      const fy = Math.min(1, Math.max(0, v - y0));
      const i = (y * W + x) * 3;
      for (let k = 0; k < 3; k++) {
        const a = s[(y0 * sw + x0) * 3 + k]!;
        const b = s[(y0 * sw + x0 + 1) * 3 + k]!;
        const c = s[((y0 + 1) * sw + x0) * 3 + k]!;
        const e = s[((y0 + 1) * sw + x0 + 1) * 3 + k]!;
        const val = a + (b - a) * fx + (c - a) * fy + (a - b - c + e) * fx * fy;
        photo.data[i + k] = photo.data[i + k]! * (1 - inside) + val * inside;
      }
    }
  }
  // Light: vignetting, brighter toward one side, and a soft shadow across part of the page.
  const side = rng.range(0, 2 * Math.PI);
  // The shadow comes in from the left or the right (the hand and the phone), slanting a little, across the lines.
  const shadowAngle = (rng.next() < 0.5 ? 0 : Math.PI) + rng.range(-0.5, 0.5);
  const shadowAt = heavy ? rng.range(0.36, 0.44) : rng.range(0.2, 0.3); // the share of the frame in shadow
  const soft = rng.range(60, 130);
  const dark = heavy ? 0.72 : 0.55;
  const nx = Math.cos(shadowAngle);
  const ny = Math.sin(shadowAngle);
  const reach = Math.abs(nx) * W / 2 + Math.abs(ny) * H / 2;
  const edgeN = valueNoise(rng, W, H, 200);
  const light = new Float32Array(W * H);
  const shade = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const dx = (x - W / 2) / (W / 2);
      const dy = (y - H / 2) / (H / 2);
      const i = y * W + x;
      light[i] = 0.22 * (dx * dx + dy * dy) * 0.5 + 0.08 * (1 + Math.cos(Math.atan2(dy, dx) - side)) * Math.hypot(dx, dy) * 0.5;
      const along = (x - W / 2) * nx + (y - H / 2) * ny; // −reach … reach
      const edge = reach * (1 - 2 * shadowAt) + 40 * edgeN[i]!;
      shade[i] = dark * smoothstep(edge - soft, edge + soft, along);
    }
  }
  photo.tint(light, [0.2, 0.2, 0.22]);
  photo.tint(shade, [0.5, 0.55, 0.66]);
  // The lens is a touch soft; the sensor's noise comes after it.
  const r = photo.toRaster(3);
  const blur = heavy ? rng.range(1.3, 1.6) : rng.range(0.8, 1.1);
  const { data } = await rawSharp(r).blur(blur).raw().toBuffer({ resolveWithObject: true });
  const shot = Canvas.fromRaster({ ...r, data }).grain(rng, heavy ? 2.2 : 1.6);
  return { raster: shot.toRaster(3), ext: 'jpg' as const, dpi: page.dpi };
}

export const phonePhoto: ClassSpec = {
  geometry: (o: HardPageOptions) => sheet(210, 297, o.severity === 'heavy' ? 200 : 230),
  face: 'serif',
  sizePt: 11.5,
  leading: 1.55,
  render,
};
