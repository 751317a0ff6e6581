/**
 * Whether a reading passed over text (skipped-text.ts), judged against the marks on the page that
 * may be letters (dark-marks.ts): a rendered page's letters, and readings that cover all of it,
 * part of it, or all of it with marks that are not type (specks, a ring, show-through) beside.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Box, OcrPage } from '../../core/model.js';
import { darkMarks, letterMarks, type Mark } from '../../core/pipeline/clean/dark-marks.js';
import type { GreyImage } from '../../core/pipeline/clean/restore.js';
import { NEARLY_AS_SURE, replacesReading } from '../../core/pipeline/reading-choice.js';
import { uncoveredShare } from '../../core/pipeline/skipped-text.js';
import { SKIPPED_TEXT } from '../../core/pipeline/read-page.js';
import { makePage } from '../helpers/make-page.js';

const WORDS = ['Processo', 'nº', '1.873/87', 'São', 'João', 'do', 'Ipê,', 'licença', 'de', 'construção'];
const LINES = 12;
const TOP = 300;
const LINE_GAP = 95;

let page: GreyImage;
let marks: Mark[];

beforeAll(async () => {
  const { png } = await makePage(Array.from({ length: LINES }, () => WORDS), { width: 2480, height: 3508, dpi: 300, size: 40, left: 240, top: TOP, lineGap: LINE_GAP });
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  page = { data: new Uint8Array(data), width: info.width, height: info.height };
  marks = letterMarks(darkMarks(page), 300);
});

/** A reading of the given typed lines: one word box per mark-group, as wide as the line's marks run, line by line. */
function readingOf(lines: readonly number[], from: readonly Mark[] = marks): OcrPage {
  const rows = new Map<number, Box[]>();
  for (const { box } of from) {
    const line = Math.floor(((box.y0 + box.y1) / 2 - TOP) / LINE_GAP);
    if (!lines.includes(line)) continue;
    rows.set(line, [...(rows.get(line) ?? []), box]);
  }
  const ocrLines = [...rows.values()].map((boxes) => {
    // Words: the line's marks in runs of five, each run one word's box.
    const sorted = [...boxes].sort((a, b) => a.x0 - b.x0);
    const words = [];
    for (let i = 0; i < sorted.length; i += 5) {
      const run = sorted.slice(i, i + 5);
      const top = Math.min(...sorted.map((b) => b.y0));
      const bottom = Math.max(...sorted.map((b) => b.y1));
      words.push({ text: 'palavra', confidence: 95, box: { x0: run[0]!.x0, y0: top, x1: Math.max(...run.map((b) => b.x1)), y1: bottom } });
    }
    return { box: words[0]!.box, words };
  });
  return { lines: ocrLines, text: '', confidence: 95 };
}

const all = Array.from({ length: LINES }, (_, i) => i);

describe('letters a reading passed over', () => {
  it('finds the letters of a typed page, not its specks', () => {
    // Twelve lines of ten words: hundreds of letters, a few joined.
    expect(marks.length).toBeGreaterThan(LINES * 40);
    expect(marks.every(({ box }) => box.y1 - box.y0 < 200 && box.x1 - box.x0 < 200)).toBe(true);
  });

  it('is nothing for a reading that covers every line, and the share of lines left for one that does not', () => {
    expect(uncoveredShare(marks, readingOf(all))).toBe(0);
    const share = uncoveredShare(marks, readingOf(all.slice(0, 8)));
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.42);
    expect(share).toBeGreaterThanOrEqual(SKIPPED_TEXT);
    // One line of twelve missed is under the bar: a stamp's lettering left unread is not lost text.
    expect(uncoveredShare(marks, readingOf(all.slice(0, 11)))).toBeLessThan(SKIPPED_TEXT);
  });

  it('counts no mark lighter than the type read, smaller than its letters, or larger', () => {
    const lighter = marks.map((mark) => ({ box: { ...mark.box, y0: mark.box.y0 + 2000, y1: mark.box.y1 + 2000 }, darkest: 200, size: mark.size }));
    const specks = Array.from({ length: 300 }, (_, i) => ({ box: { x0: 100 + i * 7, y0: 3300, x1: 104 + i * 7, y1: 3304 }, darkest: 0, size: 16 }));
    const ring = Array.from({ length: 100 }, (_, i) => ({ box: { x0: 300 + i, y0: 2500, x1: 800 + i, y1: 2510 }, darkest: 0, size: 5000 }));
    expect(uncoveredShare([...marks, ...lighter, ...specks, ...ring], readingOf(all))).toBe(0);
    // As dark as the type and letter-sized: lost text.
    const darkCopies = lighter.map((mark) => ({ ...mark, darkest: 0 }));
    expect(uncoveredShare([...marks, ...darkCopies], readingOf(all))).toBeGreaterThan(0.4);
  });

  it('judges no page it cannot: too few words read, or too few letters', () => {
    const firstLine = readingOf([0]);
    const fewWords = { ...firstLine, lines: [{ ...firstLine.lines[0]!, words: firstLine.lines[0]!.words.slice(0, 5) }] };
    expect(uncoveredShare(marks, fewWords)).toBe(0);
    expect(uncoveredShare(marks.slice(0, 30), readingOf(all))).toBe(0);
  });
});

describe('which reading is kept', () => {
  const reading = (confidence: number, whole: boolean) => ({ ...readingOf(whole ? all : all.slice(0, 6)), confidence });
  const passedOver = (r: OcrPage) => uncoveredShare(marks, r) >= SKIPPED_TEXT;
  const surer = (a: OcrPage, b: OcrPage) => (a.confidence ?? 0) > (b.confidence ?? 0);

  it('takes a reading of the whole page over one that passed over text, unless far less sure', () => {
    expect(replacesReading(reading(93, true), reading(95, false), passedOver, surer)).toBe(true);
    expect(replacesReading(reading(95 - NEARLY_AS_SURE, true), reading(95, false), passedOver, surer)).toBe(true);
    expect(replacesReading(reading(95 - NEARLY_AS_SURE - 1, true), reading(95, false), passedOver, surer)).toBe(false);
  });

  it('never takes a reading that passed over text over one of the whole page, however sure', () => {
    expect(replacesReading(reading(99, false), reading(80, true), passedOver, surer)).toBe(false);
  });

  it('else keeps the surer, as always', () => {
    expect(replacesReading(reading(95, true), reading(93, true), passedOver, surer)).toBe(true);
    expect(replacesReading(reading(93, true), reading(95, true), passedOver, surer)).toBe(false);
    expect(replacesReading(reading(95, false), reading(93, false), passedOver, surer)).toBe(true);
  });
});
