/**
 * Holes through the sheet found in the OCR image and painted over with paper (paper-holes.ts), on
 * generated pages: a binder's holes scanned dark, light or as a rim alone (ISO 838, US three-hole),
 * a tractor feed's sprocket holes down both sides; and what must never be taken for a hole: large
 * letters near the edge, a seal in the middle of the page, a dot, a dash, a lone disc, a disc the page's
 * edge cuts.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fillPaperHoles, findPaperHoles, type Hole } from '../../core/pipeline/clean/paper-holes.js';
import type { GreyImage } from '../../core/pipeline/clean/restore.js';

const DPI = 300;
const mm = (v: number) => Math.round((v * DPI) / 25.4);
const PAPER = '#ececec'; // 236, a scanned sheet's grey

type Centre = [number, number];

async function page(svg: string, size = { w: 210, h: 297 }): Promise<GreyImage> {
  const width = mm(size.w);
  const height = mm(size.h);
  const { data, info } = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${PAPER}"/>${svg}</svg>`))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** A hole at (x, y) mm: dark (a black lid behind it), light (white lid, its shadow on the rim's lower right), or only its rim. */
function hole([x, y]: Centre, diameter: number, kind: 'dark' | 'light' | 'rim'): string {
  const [cx, cy, r] = [mm(x), mm(y), mm(diameter / 2)];
  if (kind === 'dark') return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#161616"/>`;
  if (kind === 'rim') return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${PAPER}" stroke="#8a8a8a" stroke-width="${mm(0.4)}"/>`;
  return `<circle cx="${cx + mm(0.3)}" cy="${cy + mm(0.3)}" r="${r}" fill="#a8a8a8"/><circle cx="${cx}" cy="${cy}" r="${r}" fill="#fafafa"/>`;
}

const text = (x: number, y: number, words: string, size: number, font = 'DejaVu Sans Mono') =>
  `<text x="${mm(x)}" y="${mm(y)}" font-family="${font}" font-size="${size}" fill="#303030">${words}</text>`;

/** Each centre lies in exactly one hole found, and every hole found holds a centre. */
function expectHolesAt(found: Hole[], centres: Centre[]): void {
  const inside = (h: Hole, [x, y]: Centre) => mm(x) >= h.x0 && mm(x) <= h.x1 && mm(y) >= h.y0 && mm(y) <= h.y1;
  for (const centre of centres) expect(found.filter((h) => inside(h, centre)), `hole at ${centre}`).toHaveLength(1);
  for (const h of found) expect(centres.some((c) => inside(h, c)), `found at ${JSON.stringify(h)}`).toBe(true);
}

const iso = (x: number): Centre[] => [[x, 108.5], [x, 188.5]];
const sprockets = (x: number): Centre[] => Array.from({ length: 22 }, (_, i) => [x, 8 + i * 12.7]);

describe('findPaperHoles', () => {
  it.each(['dark', 'light', 'rim'] as const)('finds ISO 838 two holes scanned %s, 12 mm from the spine', async (kind) => {
    const image = await page(iso(12).map((c) => hole(c, 6, kind)).join('') + text(30, 60, 'Ofício nº 12/1987', 40));
    expectHolesAt(findPaperHoles(image, DPI), iso(12));
  });

  it('finds a US three-hole punch (5/16 in) on Letter paper', async () => {
    const centres: Centre[] = [[12.7, 31.7], [12.7, 139.7], [12.7, 247.7]];
    const image = await page(centres.map((c) => hole(c, 7.9, 'dark')).join(''), { w: 215.9, h: 279.4 });
    expectHolesAt(findPaperHoles(image, DPI), centres);
  });

  it('finds every sprocket hole of a tractor-feed form, down both sides', async () => {
    const centres = [...sprockets(6.35), ...sprockets(241.3 - 6.35)];
    const svg = centres.map((c) => hole(c, 4, 'light')).join('') + text(30, 40, 'LIQUIDACIÓN DE TASAS', 42) + text(30, 50, 'Cuenta Nº 04-1187', 42);
    expectHolesAt(findPaperHoles(await page(svg, { w: 241.3, h: 279.4 }), DPI), centres);
  });

  it('takes no letter, seal, dot, dash, lone disc or cut disc for a hole', async () => {
    const svg = [
      // Round capitals as large as a hole (5.5 mm), 8 mm from the edge: they have neighbours.
      text(8, 40, 'OCO', 90, 'DejaVu Sans'),
      text(8, 285, 'O Q O', 90, 'DejaVu Sans'),
      // A round seal in the middle of the page, a full stop and a dash in the margin.
      `<circle cx="${mm(105)}" cy="${mm(150)}" r="${mm(4)}" fill="#161616"/>`,
      `<circle cx="${mm(10)}" cy="${mm(200)}" r="${mm(0.8)}" fill="#161616"/>`,
      `<rect x="${mm(6)}" y="${mm(230)}" width="${mm(8)}" height="${mm(2)}" fill="#161616"/>`,
      // One round mark near the edge, as large as a hole but without a partner: a punch makes two or more.
      `<circle cx="${mm(200)}" cy="${mm(60)}" r="${mm(3)}" fill="#161616"/>`,
      // A disc cut by the page's edge: the lid's shadow, not a hole in the sheet.
      `<circle cx="${mm(1)}" cy="${mm(120)}" r="${mm(4)}" fill="#161616"/>`,
    ].join('');
    expect(findPaperHoles(await page(svg), DPI)).toEqual([]);
  });
});

describe('fillPaperHoles', () => {
  it('paints the holes with the paper and leaves the writing as it was', async () => {
    const image = await page(iso(12).map((c) => hole(c, 6, 'dark')).join('') + text(30, 60, 'Ofício nº 12/1987', 40));
    const writing = image.data.slice(mm(55) * image.width, mm(62) * image.width);
    expect(fillPaperHoles(image, DPI)).toBe(2);
    for (const [x, y] of iso(12)) {
      for (const [dx, dy] of [[0, 0], [-2.9, 0], [2.9, 0], [0, 3.2], [0, -3.2]]) expect(image.data[mm(y + dy!) * image.width + mm(x + dx!)]).toBe(236);
    }
    expect(image.data.slice(mm(55) * image.width, mm(62) * image.width)).toEqual(writing);
    // Nothing left to find, and nothing painted the second time.
    expect(fillPaperHoles(image, DPI)).toBe(0);
  });
});
