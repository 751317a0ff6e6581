/**
 * Reading a page with real tesseract.js: a page whose lines run across is read as it came and
 * only checked for orientation when its reading is poor, so an upright page skips orientation
 * detection and an upside-down one is still turned and read.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageRaster } from '../../core/model.js';
import type { OcrEngine } from '../../core/ocr/ocr-engine.js';
import { inkMap } from '../../core/pipeline/clean/ink.js';
import { linesRunAcross } from '../../core/pipeline/clean/line-direction.js';
import { untimed } from '../../core/pipeline/clean/clean-page.js';
import { readPage } from '../../core/pipeline/read-page.js';
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
