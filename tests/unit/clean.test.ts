/** The clean stage's measurements on generated pages: skew angles and blank pages. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isBlank } from '../../core/pipeline/clean/blank.js';
import { inkMap } from '../../core/pipeline/clean/ink.js';
import { flattenBackground, paperTone } from '../../core/pipeline/clean/paper.js';
import { measureSkew } from '../../core/pipeline/clean/skew.js';
import type { PageRaster } from '../../core/model.js';
import { makePage } from '../helpers/make-page.js';

const WHITE = { r: 255, g: 255, b: 255 };
const A4 = { width: 2480, height: 3508, dpi: 300 };

/**
 * A page as the clean stage gets it, in grey. An image still being made (a turned or yellowed page)
 * is taken as the pixels its PNG would hold (PNG is lossless), without encoding one to decode it.
 */
async function raster(image: Buffer | sharp.Sharp): Promise<PageRaster> {
  const { data, info } = await (Buffer.isBuffer(image) ? sharp(image) : await pixelsOf(image)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data, dpiX: 300, dpiY: 300, dpiAssumed: false };
}

async function pixelsOf(image: sharp.Sharp): Promise<sharp.Sharp> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

/** Pages of text already made, by their number of lines: several tests look at the same page. */
const textPages = new Map<number, Promise<Buffer>>();
function textPage(lines: number): Promise<Buffer> {
  let page = textPages.get(lines);
  if (!page) textPages.set(lines, (page = makeTextPage(lines)));
  return page;
}

async function makeTextPage(lines: number): Promise<Buffer> {
  const words = ['Processo', 'administrativo', 'nº', '1234/1987', 'da', 'Secretaria', 'de', 'Obras'];
  const { png } = await makePage(Array.from({ length: lines }, () => words), { ...A4, size: 42, left: 250, top: 300, lineGap: 90 });
  return png;
}

describe('skew', () => {
  it('measures the angle a page was turned by, within 0.1°, both ways up to 10°', async () => {
    // The page in grey, decoded once: each angle turns its one band rather than the PNG's four
    // (RGBA), a quarter of the work; the turned pages differ only by rounding (a grey level at
    // the edges of the type).
    const { data, info } = await sharp(await textPage(25)).greyscale().raw().toBuffer({ resolveWithObject: true });
    for (const angle of [-9.5, -7, -3, -0.8, 0, 0.6, 2, 5, 9.5]) {
      const turned = sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).rotate(angle, { background: WHITE });
      const measured = measureSkew(await inkMap(await raster(turned)));
      expect(Math.abs(measured - angle), `turned ${angle}°, measured ${measured}°`).toBeLessThan(0.1);
    }
  });
});

describe('blank pages', () => {
  it('finds an empty sheet blank, even yellowed and with scanner dust', async () => {
    const paper = await sharp({ create: { width: A4.width, height: A4.height, channels: 3, background: '#efe6c8' } })
      .composite(
        Array.from({ length: 40 }, (_, i) => ({
          input: { create: { width: 3, height: 3, channels: 3 as const, background: '#202020' } },
          left: 300 + ((i * 977) % 1800),
          top: 300 + ((i * 1231) % 2800),
        })),
      );
    expect(isBlank(await inkMap(await raster(paper)))).toBe(true);
  });

  it('never calls a page with one short typed line blank', async () => {
    const { png } = await makePage([['Verso', 'em', 'branco']], { ...A4, size: 42, left: 900, top: 1700, lineGap: 90 });
    expect(isBlank(await inkMap(await raster(png)))).toBe(false);
  });

  it('does not count the dark scanner edges around an empty sheet', async () => {
    const paper = await sharp({ create: { width: A4.width, height: A4.height, channels: 3, background: '#ffffff' } })
      .composite([
        { input: { create: { width: 60, height: A4.height, channels: 3, background: '#000000' } }, left: 0, top: 0 },
        { input: { create: { width: A4.width, height: 50, channels: 3, background: '#000000' } }, left: 0, top: A4.height - 50 },
      ]);
    expect(isBlank(await inkMap(await raster(paper)))).toBe(true);
  });
});

describe('paper tone', () => {
  it('finds a yellowed page\'s paper, not the white left around the turned sheet', async () => {
    const page = await textPage(25);
    const yellowed = await pixelsOf(sharp(page).linear(0.85, 0).rotate(7, { background: WHITE }));
    // 255 × 0.85 ≈ 217; the white corners take about a fifth of the image.
    expect(await paperTone(await raster(yellowed.clone()))).toBeGreaterThanOrEqual(214);
    expect(await paperTone(await raster(yellowed.clone()))).toBeLessThanOrEqual(219);
  });

  it('calls white paper white, and a bilevel page\'s paper too', async () => {
    expect(await paperTone(await raster(await textPage(25)))).toBe(255);
    const bilevel = sharp(await textPage(25)).threshold(128);
    expect(await paperTone(await raster(bilevel))).toBe(255);
  });

  it('flattens what is lighter than the paper to the paper, and leaves ink alone', () => {
    const grey = Uint8Array.from([0, 40, 200, 216, 217, 230, 255]);
    flattenBackground(grey, 217);
    expect([...grey]).toEqual([0, 40, 200, 216, 217, 217, 217]);
  });
});
