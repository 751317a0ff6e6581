/**
 * A JPEG or PNG cut short is told by the bytes at its end, never by the decoder's message (which,
 * under concurrent decodes, can be another file's).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { lacksEndMarker } from '../../core/pipeline/decode/end-marker.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-end-marker-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const place = (name: string, bytes: Buffer) => {
  const file = path.join(folder, name);
  writeFileSync(file, bytes);
  return file;
};
// Random pixels: files far larger than the 4 KB tail looked at, with every byte value in them.
const pixels = randomBytes(800 * 1100 * 3);
const page = () => sharp(pixels, { raw: { width: 800, height: 1100, channels: 3 } });

describe('a file without its end marker', () => {
  it('is a JPEG or PNG cut anywhere before its end', async () => {
    const jpeg = await page().jpeg({ quality: 90 }).toBuffer();
    const png = await page().png().toBuffer();
    expect(jpeg.length).toBeGreaterThan(100_000);
    for (const share of [0.1, 0.5, 0.99]) {
      expect(await lacksEndMarker(place('cut.jpg', jpeg.subarray(0, Math.floor(jpeg.length * share))), 'image/jpeg'), `jpeg ${share}`).toBe(true);
      expect(await lacksEndMarker(place('cut.png', png.subarray(0, Math.floor(png.length * share))), 'image/png'), `png ${share}`).toBe(true);
    }
    // Cut just before the last two bytes (the JPEG's FF D9, the PNG's IEND chunk is the last 12).
    expect(await lacksEndMarker(place('cut.jpg', jpeg.subarray(0, jpeg.length - 2)), 'image/jpeg')).toBe(true);
    expect(await lacksEndMarker(place('cut.png', png.subarray(0, png.length - 12)), 'image/png')).toBe(true);
  });

  it('is not a whole file, nor one a writer padded after its marker, nor an empty one', async () => {
    const jpeg = await page().jpeg({ quality: 90 }).toBuffer();
    const png = await page().png().toBuffer();
    expect(await lacksEndMarker(place('whole.jpg', jpeg), 'image/jpeg')).toBe(false);
    expect(await lacksEndMarker(place('whole.png', png), 'image/png')).toBe(false);
    expect(await lacksEndMarker(place('padded.jpg', Buffer.concat([jpeg, Buffer.alloc(512)])), 'image/jpeg')).toBe(false);
    // The check is for JPEG and PNG only: a TIFF's end is read from its directories (tiff-structure.ts).
    expect(await lacksEndMarker(place('half.tif', Buffer.alloc(100)), 'image/tiff')).toBe(false);
    expect(await lacksEndMarker(place('empty.jpg', Buffer.alloc(0)), 'image/jpeg')).toBe(true);
  });
});
