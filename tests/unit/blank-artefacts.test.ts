/**
 * Blank-page detection (which also finds a separator sheet's empty back) on generated scans of
 * empty sheets carrying what paper and scanners add (issue 27, point 2): punch holes scanned dark
 * or light (ISO 838 two and four holes on A4, US three-hole on Letter), a staple's shadow,
 * scanner-edge shadows and faint show-through from the back. Each must still read as blank, and
 * the same sheet with one short typed line must not.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { PageRaster } from '../../core/model.js';
import { isBlank } from '../../core/pipeline/clean/blank.js';
import { inkMap } from '../../core/pipeline/clean/ink.js';
import { makePage } from '../helpers/make-page.js';

const DPI = 200;
const mm = (v: number) => Math.round((v * DPI) / 25.4);
const A4 = { w: 210, h: 297 };
const LETTER = { w: 215.9, h: 279.4 };

type Sheet = { w: number; h: number };
/** Centres along the edge, mm from the middle of the edge. */
const ISO_TWO = [-40, 40];
const ISO_FOUR = [-120, -40, 40, 120];
const US_THREE = [-108, 0, 108];

function holes(sheet: Sheet, along: number[], opts: { diameter: number; inset: number; side: 'left' | 'right' | 'top'; light?: boolean }): string {
  const r = mm(opts.diameter / 2);
  return along
    .map((offset) => {
      const [cx, cy] =
        opts.side === 'top' ? [mm(sheet.w / 2 + offset), mm(opts.inset)] : [opts.side === 'left' ? mm(opts.inset) : mm(sheet.w - opts.inset), mm(sheet.h / 2 + offset)];
      // Dark: the scanner's black lid behind the hole. Light: white lid, the rim's shadow shows.
      return opts.light
        ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffffff" stroke="#555555" stroke-width="${mm(0.5)}"/>`
        : `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#161616"/>`;
    })
    .join('');
}

// A staple a finger's width in from the corner, its shadow beside it.
const staple = () => `<line x1="${mm(14)}" y1="${mm(25)}" x2="${mm(25)}" y2="${mm(15)}" stroke="#3a3a3a" stroke-width="${mm(0.9)}"/><line x1="${mm(15)}" y1="${mm(26.2)}" x2="${mm(26)}" y2="${mm(16.2)}" stroke="#8a8a8a" stroke-width="${mm(0.6)}"/>`;
// The lid's shadow along the spine edge, darkest at the edge and fading over 24 mm, and a dark band along the top.
const edgeShadow = (sheet: Sheet) =>
  `<defs><linearGradient id="s" x1="0" x2="1"><stop offset="0" stop-color="#101010"/><stop offset="1" stop-color="#f4f2ee"/></linearGradient></defs>` +
  `<rect x="0" y="0" width="${mm(24)}" height="${mm(sheet.h)}" fill="url(#s)"/><rect x="0" y="0" width="${mm(sheet.w)}" height="${mm(2.5)}" fill="#202020"/>`;

/** The layers of text laid on a sheet, made once per sheet size for the file: many cases lay the same ones. */
const layersMade = new Map<string, Promise<Buffer>>();
function once(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let layer = layersMade.get(key);
  if (!layer) layersMade.set(key, (layer = make()));
  return layer;
}

async function sheet(size: Sheet, svg: string, options: { line?: boolean; showThrough?: boolean } = {}): Promise<PageRaster> {
  const width = mm(size.w);
  const height = mm(size.h);
  const layers: sharp.OverlayOptions[] = [];
  if (options.showThrough) {
    // The back's text, mirrored, blurred and faint, as thin paper lets it through.
    const faint = await once(`back ${width}×${height}`, async () => {
      const back = await makePage([['PREFEITURA', 'MUNICIPAL'], ['Processo', 'nº', '1873/1987'], ['Alvará', 'de', 'construção']], { width, height, dpi: DPI, size: 34, left: mm(30), top: mm(40), lineGap: mm(9) });
      return sharp(back.png).flop().blur(2).linear(0.18, 255 * 0.82).png().toBuffer();
    });
    layers.push({ input: faint, blend: 'multiply' });
  }
  if (options.line) {
    const line = await once(`line ${width}×${height}`, async () => (await makePage([['Ofício', 'nº', '12/1987']], { width, height, dpi: DPI, size: 34, left: mm(40), top: mm(120), lineGap: mm(9) })).png);
    layers.push({ input: line, blend: 'multiply' });
  }
  layers.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${svg}</svg>`) });
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: '#f4f2ee' } }).composite(layers).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data, dpiX: DPI, dpiY: DPI, dpiAssumed: false };
}

const blank = async (raster: PageRaster) => isBlank(await inkMap(raster));

const cases: Array<[string, Sheet, () => string, { showThrough?: boolean }?]> = [
  ['ISO 838 two holes, dark', A4, () => holes(A4, ISO_TWO, { diameter: 6, inset: 12, side: 'left' })],
  ['ISO 838 two holes, light', A4, () => holes(A4, ISO_TWO, { diameter: 6, inset: 12, side: 'left', light: true })],
  ['ISO 838 two holes on the back (right edge), dark', A4, () => holes(A4, ISO_TWO, { diameter: 6, inset: 12, side: 'right' })],
  ['ISO 838 four holes, dark', A4, () => holes(A4, ISO_FOUR, { diameter: 6, inset: 12, side: 'left' })],
  ['ISO 838 four holes, light', A4, () => holes(A4, ISO_FOUR, { diameter: 6, inset: 12, side: 'left', light: true })],
  ['US three-hole (5/16 in, 1/2 in in), dark', LETTER, () => holes(LETTER, US_THREE, { diameter: 7.9, inset: 12.7, side: 'left' })],
  ['US three-hole, light', LETTER, () => holes(LETTER, US_THREE, { diameter: 7.9, inset: 12.7, side: 'left', light: true })],
  ['two holes along the top (fed sideways), dark', A4, () => holes(A4, ISO_TWO, { diameter: 6, inset: 12, side: 'top' })],
  ['a staple shadow in the corner', A4, staple],
  ['scanner-edge shadows', A4, () => edgeShadow(A4)],
  ['faint show-through from the back', A4, () => '', { showThrough: true }],
  ['everything at once', A4, () => holes(A4, ISO_FOUR, { diameter: 6, inset: 12, side: 'left' }) + staple() + edgeShadow(A4), { showThrough: true }],
];

describe('isBlank on empty sheets with what paper and scanner add', () => {
  it.each(cases)('%s: blank; with one typed line: not blank', async (_name, size, svg, options) => {
    expect(await blank(await sheet(size, svg(), options))).toBe(true);
    expect(await blank(await sheet(size, svg(), { ...options, line: true }))).toBe(false);
  });

  it('still finds a short line near the edge, and round marks away from the edges', async () => {
    // A page number 21 mm from the bottom (inside the holes' zone) is writing, not a hole.
    const pageNumber = await makePage([['Fls.', '27']], { width: mm(210), height: mm(297), dpi: DPI, size: 34, left: mm(150), top: mm(272), lineGap: mm(9) });
    const { data, info } = await sharp(pageNumber.png).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(await blank({ width: info.width, height: info.height, channels: 1, data, dpiX: DPI, dpiY: DPI, dpiAssumed: false })).toBe(false);
    // A round seal in the middle of the page is not a punch hole.
    expect(await blank(await sheet(A4, `<circle cx="${mm(105)}" cy="${mm(150)}" r="${mm(4)}" fill="#161616"/>`))).toBe(false);
  });
});
