/** Page images as the PDF stores them: the pixels a viewer decodes are the page's own. */
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { PageRaster } from '../../core/model.js';
import { encodePageImage, jpegPageImage } from '../../core/pdf/page-image.js';

/** A grey page with a gradient and a dark square: no two neighbouring rows alike. */
function greyPage(width: number, height: number): PageRaster {
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = x > 20 && x < 60 && y > 20 && y < 60 ? 10 : (x * 3 + y) % 256;
  return { width, height, channels: 1, data, dpiX: 300, dpiY: 300, dpiAssumed: false };
}

/** Undoes PNG row filters (what a PDF reader does for Predictor 15). */
function unfilter(raw: Buffer, width: number, height: number, channels: number): Buffer {
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= channels ? out[y * stride + x - channels]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const upLeft = y > 0 && x >= channels ? out[(y - 1) * stride + x - channels]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, type === 4 ? paeth() : 0][type]!;
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return out;
}

describe('page images', () => {
  it('stores a grey page as one channel of exactly its pixels (Flate with PNG predictors)', async () => {
    const raster = greyPage(97, 61);
    const image = await encodePageImage({ kind: 'raster', raster });
    expect(image).toMatchObject({ colorSpace: 'DeviceGray', bitsPerComponent: 8, filter: 'FlateDecode', decodeParms: { Predictor: 15, Colors: 1, Columns: 97 } });
    const raw = inflateSync(image.data);
    expect(raw.length).toBe(61 * (97 + 1));
    expect(unfilter(raw, 97, 61, 1).equals(raster.data)).toBe(true);
  });

  it('stores a colour page as three channels of exactly its pixels', async () => {
    const grey = greyPage(40, 30);
    const data = Buffer.alloc(40 * 30 * 3);
    grey.data.forEach((v, i) => data.set([v, 255 - v, (v * 7) % 256], i * 3));
    const image = await encodePageImage({ kind: 'raster', raster: { ...grey, channels: 3, data } });
    expect(image).toMatchObject({ colorSpace: 'DeviceRGB', decodeParms: { Colors: 3 } });
    expect(unfilter(inflateSync(image.data), 40, 30, 3).equals(data)).toBe(true);
  });

  it('re-encodes a turned grey JPEG page as a one-channel JPEG', async () => {
    const image = await jpegPageImage(greyPage(64, 48));
    expect(image.kind).toBe('jpeg');
    const bytes = (image as { bytes: Buffer }).bytes;
    expect((await sharp(bytes).metadata()).channels).toBe(1);
    expect(await encodePageImage(image)).toMatchObject({ colorSpace: 'DeviceGray', filter: 'DCTDecode' });
  });
});
