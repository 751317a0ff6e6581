/**
 * Handwriting across typed lines, in the type's own black, taken out by what the page's own
 * letters do not explain (handwriting.ts, letter-search.ts, typed-letters.ts). The heavily stamped
 * solicitud of the hard pages is drawn three ways, its black pen, the same pen in red (where the
 * pen is) and no pen (where the type is), and prepared as the pipeline reads it after a reading
 * not sure: stamps out by their colour. Pages without handwriting across their lines are left as
 * they are: letters run together on dark copies, a blot over the lines, a rule down them.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropHandwriting } from '../../core/pipeline/clean/handwriting.js';
import { prepareOcrInput } from '../../core/pipeline/clean/ocr-input.js';
import type { GreyImage } from '../../core/pipeline/clean/restore.js';
import { baselineRow, inkMarks, pageType } from '../../core/pipeline/clean/typed-letters.js';
import { renderHardPage } from '../../samples/hard/render-page.js';
import { BLEED_STAMPS_STAINS } from '../../samples/hard/texts/bleed-stamps-stains.js';
import type { HardPageOptions } from '../../samples/hard/types.js';
import { REPO_ROOT } from '../helpers/paths.js';

const INK = 128;
const solicitud = BLEED_STAMPS_STAINS.find((s) => s.name === '03-solicitud-permiso')!;

async function rgbOf(penInk: HardPageOptions['penInk']): Promise<{ data: Buffer; width: number; height: number }> {
  const { face, sizePt, leading, severity, stampTexts } = solicitud;
  const { image } = await renderHardPage(solicitud.text, 'stamps', solicitud.name, { face, sizePt, leading, severity, stampTexts, penInk });
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The grey page with its stamps taken out by their colour, as read after a first reading not sure. */
async function stampsOut(rgb: { data: Buffer; width: number; height: number }): Promise<GreyImage> {
  const prepared = await prepareOcrInput({ ...rgb, channels: 3, dpiX: 300, dpiY: 300, dpiAssumed: false }, { ocrMaxPixels: 40e6 });
  const dropped = (await Promise.all(prepared.alternatives.filter((a) => a.when === 'not-sure').map((a) => a.prepare()))).find((a) => a?.cleaning.includes('colour-dropout') && !a.cleaning.includes('drop-handwriting'))!;
  return greyOf(dropped.input.png);
}

async function greyOf(png: Buffer): Promise<GreyImage> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('a black pen across the typed lines', () => {
  let page: GreyImage;
  let withoutPen: GreyImage;
  /** Pixels of the pen where no type is, and of the type. */
  const pen: number[] = [];
  const type: number[] = [];

  beforeAll(async () => {
    const [black, red, none] = await Promise.all([rgbOf([30, 30, 36]), rgbOf([255, 0, 0]), rgbOf('none')]);
    [page, withoutPen] = await Promise.all([stampsOut(black), stampsOut(none)]);
    for (let i = 0; i < page.data.length; i++) {
      const penHere = Math.abs(red.data[3 * i]! - black.data[3 * i]!) > 40;
      if (withoutPen.data[i]! < INK) type.push(i);
      else if (penHere && page.data[i]! < INK) pen.push(i);
    }
  }, 120_000);

  it('takes out most of the pen and keeps the letters under it', () => {
    expect(pen.length).toBeGreaterThan(20_000);
    const { image, crossedLines } = dropHandwriting(page);
    expect(crossedLines).toBeGreaterThan(5);
    const penLeft = pen.filter((i) => image.data[i]! < INK).length / pen.length;
    const typeLost = type.filter((i) => page.data[i]! < INK && image.data[i]! >= INK).length / type.length;
    // Measured: 20 % of the pen left (strokes along the letters' edges, bits on a line), 0.13 % of the type lost.
    expect(penLeft).toBeLessThan(0.3);
    expect(typeLost).toBeLessThan(0.005);
  });

  it('leaves the same page without its pen as it was', () => {
    const { image, crossedLines } = dropHandwriting(withoutPen);
    expect(crossedLines).toBe(0);
    expect(Buffer.from(image.data).equals(Buffer.from(withoutPen.data))).toBe(true);
  });

  it('learns the page\'s lines and letters from the page: every line, its slant, repeated shapes only', () => {
    const threshold = 131;
    const learnt = pageType(inkMarks(withoutPen, threshold), withoutPen.width, withoutPen.height);
    // 19 typed lines; the two short ones ("S/D", "1991.") have too few letters to show a baseline.
    expect(learnt.baselines.length).toBeGreaterThanOrEqual(17);
    expect(learnt.baselines.length).toBeLessThanOrEqual(19);
    // The generator turns the type by up to 0.4°; what the page shows is a fifth of a degree.
    expect(Math.abs(learnt.slope)).toBeLessThan(Math.tan((0.45 * Math.PI) / 180));
    expect(learnt.shapes.length).toBeGreaterThan(30);
    expect(learnt.descent).toBeGreaterThan(5);
    // Each baseline row, followed across the page, runs under the letters: their bottoms sit on it.
    const middle = learnt.baselines[Math.floor(learnt.baselines.length / 2)]!;
    const bottoms = inkMarks(withoutPen, threshold).filter((m) => m.members.length >= 40 && Math.abs(m.y1 - baselineRow(learnt, middle, (m.x0 + m.x1) / 2, withoutPen.width)) <= 2);
    expect(bottoms.length).toBeGreaterThan(20);
  });
});

describe('pages without handwriting across their lines are left as they are', () => {
  it('letters run together on a copy of a copy, and on an oily mimeograph, stay within their lines', async () => {
    for (const file of ['photocopy/02-contrato-locacao.png', 'photocopy/03-decreto-emergencia.png', 'mimeograph/01-circular-vacinacao.jpg']) {
      const { data, info } = await sharp(`${REPO_ROOT}/samples/hard-pages/scans/${file}`).raw().toBuffer({ resolveWithObject: true });
      const prepared = await prepareOcrInput({ width: info.width, height: info.height, channels: info.channels as 1 | 3, data, dpiX: 300, dpiY: 300, dpiAssumed: false }, { ocrMaxPixels: 40e6 });
      expect(dropHandwriting(await greyOf(prepared.input.png)).crossedLines, file).toBe(0);
    }
  }, 60_000);

  it('a heavy ring over the lines has ink deep inside it, a rule down the margin holds no letter: neither is a pen', async () => {
    const page = await stampsOut(await rgbOf('none'));
    const marked = { ...page, data: new Uint8Array(page.data) };
    const { width } = marked;
    // A heavy dark ring (a picture's edge, a seal) over four lines of the body, letters touching it…
    for (let y = 640; y < 960; y++) {
      for (let x = 1140; x < 1460; x++) {
        const r = Math.hypot(x - 1300, y - 800);
        if (r > 130 && r < 155) marked.data[y * width + x] = 25;
      }
    }
    // …and a rule drawn down the margin beside ten lines.
    for (let y = 560; y < 1300; y++) for (let x = 200; x < 205; x++) marked.data[y * width + x] = 25;
    const { image, crossedLines } = dropHandwriting(marked);
    expect(crossedLines).toBe(0);
    expect(Buffer.from(image.data).equals(Buffer.from(marked.data))).toBe(true);
  }, 60_000);
});
