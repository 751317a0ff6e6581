/** Rasters (raw pixel buffers) and the few raster primitives the sample generators share. */
import sharp, { type Sharp } from 'sharp';
import type { Rng } from './rng.js';

export interface Raster {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

export async function rasterize(svg: string, width: number, height: number, opts: { blur?: number; colour?: boolean } = {}): Promise<Raster> {
  let img = sharp(Buffer.from(svg), { density: 72 }).flatten({ background: '#fff' });
  if (!opts.colour) img = img.greyscale();
  if (opts.blur) img = img.blur(opts.blur);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) throw new Error(`SVG rendered at ${info.width}×${info.height}, expected ${width}×${height}`);
  const want = opts.colour ? 3 : 1;
  if (info.channels !== want) {
    // Drop alpha / collapse to the wanted channel count.
    const out = Buffer.alloc(width * height * want);
    for (let i = 0, n = width * height; i < n; i++) for (let c = 0; c < want; c++) out[i * want + c] = data[i * info.channels + c]!;
    return { width, height, channels: want, data: out };
  }
  return { width, height, channels: want, data };
}

/** Smooth value noise in [-1, 1]: a coarse random grid, bicubically (smoothstep) interpolated. */
export function valueNoise(rng: Rng, w: number, h: number, cell: number): Float32Array {
  const gw = Math.ceil(w / cell) + 2;
  const gh = Math.ceil(h / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.range(-1, 1);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    let ty = gy - y0;
    ty = ty * ty * (3 - 2 * ty);
    for (let x = 0; x < w; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      let tx = gx - x0;
      tx = tx * tx * (3 - 2 * tx);
      const a = grid[y0 * gw + x0]!;
      const b = grid[y0 * gw + x0 + 1]!;
      const c = grid[(y0 + 1) * gw + x0]!;
      const d = grid[(y0 + 1) * gw + x0 + 1]!;
      out[y * w + x] = a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
    }
  }
  return out;
}

export function rawSharp(r: Raster): Sharp {
  const img = sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels as 1 | 3 } });
  // Without an explicit colourspace, one-channel raw input is written out as sRGB.
  return r.channels === 1 ? img.toColourspace('b-w') : img;
}

/** sharp/mozjpeg writes no JFIF APP0 segment (and withDensity() stores the density in EXIF only).
 *  Scanners write JFIF with the resolution in it, so insert one right after SOI. */
export function withJfif(jpeg: Buffer, dpi: number): Buffer {
  if (jpeg.readUInt16BE(0) !== 0xffd8) throw new Error('not a JPEG');
  if (jpeg.readUInt16BE(2) === 0xffe0) throw new Error('JPEG already has an APP0 segment');
  const app0 = Buffer.alloc(18);
  app0.writeUInt16BE(0xffe0, 0);
  app0.writeUInt16BE(16, 2);
  app0.write('JFIF\0', 4, 'latin1');
  app0.writeUInt16BE(0x0101, 9); // version 1.01
  app0.writeUInt8(1, 11); // units: dots per inch
  app0.writeUInt16BE(dpi, 12);
  app0.writeUInt16BE(dpi, 14);
  // no thumbnail (bytes 16, 17 = 0)
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
}
