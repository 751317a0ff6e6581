/**
 * Cleaning turns and straightens a page by its text only (issue 27, point 5): a page holding only
 * a signature, or only a stamp (round, or two crooked lines in a box), keeps its orientation and
 * angle even when orientation detection guesses a turn, while a page of text lines is still
 * turned and straightened. Generated A4 pages at 200 DPI, the scripted engine standing in for OSD.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { PageRaster } from '../../core/model.js';
import { ScriptedEngine } from '../../core/ocr/scripted-engine.js';
import { cleanPage } from '../../core/pipeline/clean/clean-page.js';
import { inkMap } from '../../core/pipeline/clean/ink.js';
import { hasTextLines } from '../../core/pipeline/clean/text-evidence.js';
import { makePage } from '../helpers/make-page.js';
import { REAL_SCANS_DIR } from '../helpers/paths.js';

const DPI = 200;
const mm = (v: number) => Math.round((v * DPI) / 25.4);
const W = mm(210);
const H = mm(297);

async function page(svg: string, under?: Buffer): Promise<PageRaster> {
  const layers: sharp.OverlayOptions[] = [];
  if (under) layers.push({ input: under, blend: 'multiply' });
  layers.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${svg}</svg>`) });
  const { data, info } = await sharp({ create: { width: W, height: H, channels: 3, background: '#f6f4ef' } }).composite(layers).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data, dpiX: DPI, dpiY: DPI, dpiAssumed: false };
}

const signature = `<g transform="rotate(-12 ${mm(120)} ${mm(230)})" fill="none" stroke="#1b2a6b" stroke-width="${mm(0.6)}" stroke-linecap="round">
  <path d="M ${mm(85)} ${mm(235)} C ${mm(90)} ${mm(205)}, ${mm(100)} ${mm(250)}, ${mm(108)} ${mm(228)} S ${mm(120)} ${mm(215)}, ${mm(126)} ${mm(236)} C ${mm(130)} ${mm(246)}, ${mm(140)} ${mm(210)}, ${mm(150)} ${mm(232)} S ${mm(165)} ${mm(226)}, ${mm(172)} ${mm(229)}"/>
  <path d="M ${mm(80)} ${mm(242)} C ${mm(110)} ${mm(238)}, ${mm(140)} ${mm(246)}, ${mm(178)} ${mm(240)}"/></g>`;

const roundStamp = (() => {
  const text = 'PREFEITURA MUNICIPAL DE SANTOS * PROTOCOLO * ';
  const letters = [...text].map((ch, i) => {
    const angle = (i / text.length) * 360;
    return `<text x="${mm(105)}" y="${mm(150) - mm(16)}" font-family="DejaVu Sans" font-size="${mm(3.2)}" fill="#6a1b9a" text-anchor="middle" transform="rotate(${angle} ${mm(105)} ${mm(150)})">${ch}</text>`;
  });
  return `<circle cx="${mm(105)}" cy="${mm(150)}" r="${mm(21)}" fill="none" stroke="#6a1b9a" stroke-width="${mm(0.8)}"/><circle cx="${mm(105)}" cy="${mm(150)}" r="${mm(12)}" fill="none" stroke="#6a1b9a" stroke-width="${mm(0.5)}"/>${letters.join('')}`;
})();

const boxStamp = `<g transform="rotate(10 ${mm(140)} ${mm(80)})" fill="#283593" font-family="DejaVu Sans" font-weight="bold">
  <rect x="${mm(105)}" y="${mm(65)}" width="${mm(70)}" height="${mm(26)}" fill="none" stroke="#283593" stroke-width="${mm(0.8)}"/>
  <text x="${mm(110)}" y="${mm(75)}" font-size="${mm(4)}">PROTOCOLO GERAL</text>
  <text x="${mm(110)}" y="${mm(85)}" font-size="${mm(4)}">12 MAR 1987</text></g>`;

async function textPage(): Promise<Buffer> {
  const words = 'Senhor Prefeito encaminhamos o processo de licença da obra situada na rua das Flores'.split(' ');
  const lines = Array.from({ length: 8 }, (_, i) => words.slice(i % 4, (i % 4) + 9));
  return (await makePage(lines, { width: W, height: H, dpi: DPI, size: 34, left: mm(25), top: mm(40), lineGap: mm(9) })).png;
}

/** OSD's guess on a page that is not text: sure enough of a quarter turn to be taken. */
const guessing = new ScriptedEngine(() => '', { orientation: () => ({ degrees: 90, confidence: 30 }) });
const options = { ocrMaxPixels: 40_000_000, orientationMinConfidence: 5 };

describe('turning and straightening only by text', () => {
  it.each([
    ['a signature alone', signature],
    ['a round stamp alone', roundStamp],
    ['a box stamp alone, 10° crooked', boxStamp],
    ['a signature and a stamp', signature + boxStamp],
  ])('%s: no lines of text, kept as it lies', async (_name, svg) => {
    const raster = await page(svg);
    expect(hasTextLines(await inkMap(raster))).toBe(false);
    const cleaned = await cleanPage(raster, options, guessing);
    expect(cleaned.corrections).toMatchObject({ rotation: 0, skewDegrees: 0, blank: false });
  });

  it('a page of text lines is still turned by what OSD reads and straightened by its lines', async () => {
    const text = await textPage();
    const turned = await page('', await sharp(text).rotate(90).resize(W, H, { fit: 'fill' }).png().toBuffer());
    expect(hasTextLines(await inkMap(turned))).toBe(true);
    expect((await cleanPage(turned, options, guessing)).corrections.rotation).toBe(90);
    const crooked = await page('', await sharp(text).rotate(4, { background: '#ffffff' }).resize(W, H, { fit: 'fill' }).png().toBuffer());
    const upright = new ScriptedEngine(() => '', { orientation: () => ({ degrees: 0, confidence: 30 }) });
    expect(Math.abs((await cleanPage(crooked, options, upright)).corrections.skewDegrees)).toBeGreaterThan(3);
    // With a signature under the text, the text still decides.
    expect(hasTextLines(await inkMap(await page(signature, text)))).toBe(true);
  });
});

/** A scan as the decoder hands it on: grey, at its declared resolution or the 300 DPI assumed. */
async function scanned(file: string): Promise<PageRaster> {
  const meta = await sharp(file).metadata();
  const dpi = meta.density && meta.density >= 100 ? meta.density : 300;
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data, dpiX: dpi, dpiY: dpi, dpiAssumed: false };
}

describe('lines of text on real and hard pages', () => {
  it('finds them on each of the hard pages (carbon, dot matrix, stamps, stains, phone photos…)', async () => {
    const root = path.resolve('samples/hard-pages/scans');
    const files = readdirSync(root).flatMap((kind) => readdirSync(path.join(root, kind)).map((f) => path.join(root, kind, f))).filter((f) => /\.(png|jpe?g)$/i.test(f));
    expect(files.length).toBeGreaterThanOrEqual(27);
    const without = [];
    for (const file of files) if (!hasTextLines(await inkMap(await scanned(file)))) without.push(path.relative(root, file));
    expect(without).toEqual([]);
  });

  it('still turns a faint carbon copy and a stained page, whose type the usual ink threshold misses', async () => {
    const sample = (name: string) => path.resolve('samples/scans', name);
    const sideways = new ScriptedEngine(() => '', { orientation: () => ({ degrees: 270, confidence: 30 }) });
    for (const [name, dpi] of [['Administracao/1984/oficio-copia-carbono.png', 300], ['Obras/1979/requerimento-manchado.jpg', 200]] as const) {
      const { data, info } = await sharp(sample(name)).rotate(90).greyscale().raw().toBuffer({ resolveWithObject: true });
      const raster: PageRaster = { width: info.width, height: info.height, channels: 1, data, dpiX: dpi, dpiY: dpi, dpiAssumed: false };
      expect((await cleanPage(raster, options, sideways)).corrections.rotation, name).toBe(270);
    }
  });

  const shared = existsSync(path.join(REAL_SCANS_DIR, 'linn.png'));
  it.skipIf(!shared)('finds them on the real scans linn.png and typewriter.png (skipped without ../shared/real-scans)', async () => {
    for (const name of ['linn.png', 'typewriter.png']) expect(hasTextLines(await inkMap(await scanned(path.join(REAL_SCANS_DIR, name)))), name).toBe(true);
  });
  if (!shared) console.warn(`text-evidence: real scans skipped, ${REAL_SCANS_DIR} is not there.`);
});
