/**
 * Reading a page with real tesseract.js: a page whose lines run across is read as it came and
 * only checked for orientation when its reading is poor, so an upright page skips orientation
 * detection and an upside-down one is still turned and read. The back of a sheet showing through,
 * as dark as faded type, is a blank page, and type too faint for the ink map is read. A reading
 * that passed over lines of text (under a coffee ring) is read again.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageRaster } from '../../core/model.js';
import type { OcrEngine } from '../../core/ocr/ocr-engine.js';
import { isBlank } from '../../core/pipeline/clean/blank.js';
import { inkMap } from '../../core/pipeline/clean/ink.js';
import { linesRunAcross } from '../../core/pipeline/clean/line-direction.js';
import { untimed } from '../../core/pipeline/clean/clean-page.js';
import { readPage, SKIPPED_TEXT } from '../../core/pipeline/read-page.js';
import { uncoveredShare } from '../../core/pipeline/skipped-text.js';
import { loadMetadataSet } from '../../bench/metadata-set/load.js';
import { renderHardPage } from '../../samples/hard/render-page.js';
// The built engine: its worker script is the compiled quiet-tesseract-worker.js.
import { startTesseractEngine } from '../../dist/core/ocr/tesseract-engine.js';
import { makePage } from '../helpers/make-page.js';

const A4 = { width: 2480, height: 3508, dpi: 300 };
const OPTIONS = { ocrMaxPixels: 40_000_000, orientationMinConfidence: 3 };
const LINE = ['Processo', 'administrativo', 'nº', '1234/1987', 'da', 'Secretaria', 'de', 'Obras'];

let engine: OcrEngine;
let page: Buffer;

async function raster(png: Buffer, turn = 0): Promise<PageRaster> {
  const { data, info } = await sharp(png).rotate(turn).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data, dpiX: 300, dpiY: 300, dpiAssumed: false };
}

async function read(png: Buffer, turn = 0) {
  let recognized = 0;
  const result = await readPage(await raster(png, turn), OPTIONS, engine, untimed, () => recognized++);
  return { ...result, recognized };
}

beforeAll(async () => {
  engine = await startTesseractEngine({ languages: ['por'], workers: 1, pageTimeoutMs: 60_000 });
  ({ png: page } = await makePage(Array.from({ length: 12 }, () => LINE), { ...A4, size: 42, left: 250, top: 300, lineGap: 90 }));
});
afterAll(() => engine.close());

describe('lines across', () => {
  it('tells a page upright or upside down from a sideways one, by its ink alone', async () => {
    expect(linesRunAcross(await inkMap(await raster(page)))).toBe(true);
    expect(linesRunAcross(await inkMap(await raster(page, 180)))).toBe(true);
    expect(linesRunAcross(await inkMap(await raster(page, 90)))).toBe(false);
    expect(linesRunAcross(await inkMap(await raster(page, 270)))).toBe(false);
  });

  it('says nothing for a few words', async () => {
    const { png } = await makePage([['Verso', 'em', 'branco']], { ...A4, size: 42, left: 900, top: 1700, lineGap: 90 });
    expect(linesRunAcross(await inkMap(await raster(png)))).toBe(false);
  });
});

describe('readPage', () => {
  it('reads an upright page once, without orientation detection', async () => {
    const result = await read(page);
    expect(result).toMatchObject({ orientationChecked: false, recognized: 1 });
    expect(result.cleaned.corrections.rotation).toBe(0);
    expect(result.ocr!.text).toContain('1234/1987');
  }, 60_000);

  it('finds an upside-down page by its poor reading, turns it and reads it again', async () => {
    const result = await read(page, 180);
    expect(result).toMatchObject({ orientationChecked: true, recognized: 2 });
    expect(result.cleaned.corrections.rotation).toBe(180);
    expect(result.cleaned.corrected).not.toBeNull();
    expect(result.ocr!.text).toContain('1234/1987');
    expect(result.ocr!.confidence).toBeGreaterThan(75);
  }, 60_000);

  it('detects a sideways page before reading it, once', async () => {
    const result = await read(page, 90);
    expect(result).toMatchObject({ orientationChecked: true, recognized: 1 });
    expect(result.cleaned.corrections.rotation).toBe(270);
    expect(result.ocr!.text).toContain('1234/1987');
  }, 60_000);
});

/** Lines of an ata, as typed on the front, or as the back of the sheet shows through (mirrored). */
const ATA = 'Aos dezessete dias do mês de agosto reuniu-se a Câmara Municipal para tratar do processo de licença requerido pelo senhor morador da rua principal conforme o parecer da comissão de obras'.split(' ');
const ataLines = (count: number, from = 0) => Array.from({ length: count }, (_, i) => Array.from({ length: 7 }, (_, j) => ATA[(i * 7 + j + from) % ATA.length]!));

/** Type `lines` in grey `ink` (blurred by `blur`), mirrored when it is the back seen through. */
async function inkLayer(lines: string[][], ink: number, blur: number, mirrored: boolean): Promise<Buffer> {
  const { png } = await makePage(lines, { ...A4, size: 42, left: 250, top: 300, lineGap: 95 });
  let image = sharp(png);
  if (mirrored) image = image.flop();
  if (blur > 0) image = image.blur(blur);
  return image.linear((255 - ink) / 255, ink).png().toBuffer();
}

/** Paper of grey 240 with the layers printed over each other. */
async function onPaper(...layers: Buffer[]): Promise<PageRaster> {
  const { data, info } = await sharp({ create: { width: A4.width, height: A4.height, channels: 3, background: { r: 240, g: 240, b: 240 } } })
    .composite(layers.map((input) => ({ input, blend: 'multiply' as const })))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data, dpiX: 300, dpiY: 300, dpiAssumed: false };
}

async function readRaster(raster: PageRaster) {
  let recognized = 0;
  const result = await readPage(raster, OPTIONS, engine, untimed, () => recognized++);
  return { ...result, recognized };
}

describe('show-through and faint type', () => {
  it('calls the back of the sheet showing through, as dark as faded type, a blank page', async () => {
    const result = await readRaster(await onPaper(await inkLayer(ataLines(8, 3), 160, 1.5, true)));
    expect(result.cleaned.corrections).toMatchObject({ blank: true, cleaning: ['show-through-only'] });
    expect(result.ocr).toBeNull();
    // Read as it shows, then mirrored: no more.
    expect(result.recognized).toBe(2);
  }, 120_000);

  it('reads the same lines faded on the front, in the same grey', async () => {
    const result = await readRaster(await onPaper(await inkLayer(ataLines(8, 3), 160, 1.5, false)));
    expect(result.cleaned.corrections.blank).toBe(false);
    expect(result.ocr!.text).toContain('Câmara Municipal');
  }, 120_000);

  it('keeps a typed line over the back showing through, and its text', async () => {
    const result = await readRaster(await onPaper(await inkLayer(ataLines(1), 0, 0, false), await inkLayer(ataLines(8, 3), 160, 1.5, true)));
    expect(result.cleaned.corrections.blank).toBe(false);
    expect(result.ocr!.text).toContain('dezessete dias');
  }, 240_000);

  it('reads type too faint for the ink map (grey 185 on paper 240), which was taken for a blank page', async () => {
    const raster = await onPaper(await inkLayer(ataLines(3), 185, 1, false));
    expect(isBlank(await inkMap(raster))).toBe(true);
    const result = await readRaster(raster);
    expect(result.cleaned.corrections.blank).toBe(false);
    expect(result.ocr!.text).toContain('dezessete dias do mês de agosto');
  }, 120_000);

  it('still calls a sheet with only light show-through blank, reading it once at most', async () => {
    const result = await readRaster(await onPaper(await inkLayer(ataLines(8, 3), 190, 2, true)));
    expect(result.cleaned.corrections.blank).toBe(true);
    expect(result.ocr).toBeNull();
    expect(result.recognized).toBeLessThanOrEqual(1);
  }, 120_000);
});

describe('text the layout analysis passed over', () => {
  it('reads again a page whose reading, sure of itself, left out the lines under a coffee ring', async () => {
    // A decreto of the metadata test set on coffee-stained paper, as the metadata bench prints it:
    // Tesseract takes the lines under the ring for a picture (it read 702 characters of 1,219, at 95 %).
    const record = loadMetadataSet().find((r) => r.id === 'pt-091')!;
    const lines = record.text.split('\n').filter((line) => line.trim());
    const { image } = await renderHardPage(lines, 'stains', record.id);
    const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
    const result = await readRaster({ width: info.width, height: info.height, channels: info.channels as 1 | 3, data, dpiX: 300, dpiY: 300, dpiAssumed: false });
    expect(result.recognized).toBeGreaterThanOrEqual(2);
    expect(result.cleaned.corrections.cleaning).toContain('second-reading');
    const text = result.ocr!.text.replace(/\s+/g, ' ');
    for (const phrase of ['Declara situação de emergência', 'O PREFEITO DO MUNICÍPIO DE RIACHO FUNDO', 'CONSIDERANDO a prolongada estiagem', 'colapso do abastecimento', 'Fica declarada SITUAÇÃO DE EMERGÊNCIA']) {
      expect(text).toContain(phrase);
    }
    expect(uncoveredShare(result.cleaned.letters ?? [], result.ocr!)).toBeLessThan(SKIPPED_TEXT);
  }, 240_000);
});
