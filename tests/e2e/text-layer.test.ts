/**
 * The searchable PDF's text layer sits on the image's words: a page with known word boxes goes
 * through the real pipeline and poppler reports each word where it is printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { makePage, type PlacedWord } from '../helpers/make-page.js';
import { HAS_PDFTOTEXT, pdftotext, pdftotextWords } from '../helpers/pdf-text.js';

const DPI = 300;
const LINES = [
  ['Certidão', 'de', 'Registro', 'Imobiliário'],
  ['Alvará', 'expedido', 'em', 'março', '1987'],
  ['Licitação', 'pública', 'nº', '45/1990'],
];

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-textlayer-'));
let placed: PlacedWord[];
let pdf: string;

beforeAll(async () => {
  const page = await makePage(LINES, { width: 2480, height: 1200, dpi: DPI, size: 60, left: 200, top: 150, lineGap: 250 });
  placed = page.words;
  const input = path.join(work, 'inbox', 'pagina.png');
  await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(input), { recursive: true }));
  writeFileSync(input, page.png);
  const run = await runCli(['ingest', path.dirname(input), '--library', path.join(work, 'library'), '--json', '--lang', 'por']);
  expect(run.code, run.stderr).toBe(0);
  pdf = parseJsonOutput(run).documents[0].pdf;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Overlap of two intervals over their union: 1 when they coincide, 0 when apart. */
function intervalOverlap(a0: number, a1: number, b0: number, b1: number): number {
  const inter = Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  return inter / (Math.max(a1, b1) - Math.min(a0, b0));
}

/** The vertical extent of each printed line's ink (from cap tops to descenders). */
function lineInkSpans(): Array<{ y0: number; y1: number }> {
  let next = 0;
  return LINES.flatMap((line) => {
    const words = placed.slice(next, (next += line.length));
    const span = { y0: Math.min(...words.map((w) => w.y0)), y1: Math.max(...words.map((w) => w.y1)) };
    return line.map(() => span);
  });
}

describe.skipIf(!HAS_PDFTOTEXT)('text layer placement (pdftotext -bbox)', () => {
  it('returns the words in reading order', () => {
    expect(pdftotext(pdf).replace(/\s+/g, ' ').trim()).toBe(LINES.flat().join(' '));
  });

  it('puts every word on its printed box', () => {
    const found = pdftotextWords(pdf);
    expect(found.map((w) => w.text)).toEqual(LINES.flat());
    const toPx = (pt: number) => (pt * DPI) / 72;
    const spans = lineInkSpans();
    found.forEach((word, i) => {
      const expected = placed[i]!;
      // Horizontally the word spans its own ink exactly; vertically, its line's ink, so that a
      // selection in a viewer is as tall as the line whatever letters the word has.
      expect(Math.abs(toPx(word.xMin) - expected.x0), word.text).toBeLessThan(6);
      expect(Math.abs(toPx(word.xMax) - expected.x1), word.text).toBeLessThan(6);
      expect(intervalOverlap(toPx(word.yMin), toPx(word.yMax), spans[i]!.y0, spans[i]!.y1), word.text).toBeGreaterThan(0.75);
    });
  });
});
