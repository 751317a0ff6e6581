import { describe, expect, it } from 'vitest';
import type Tesseract from 'tesseract.js';
import { withDotLeaders } from '../../core/ocr/dot-leaders.js';
import { toOcrPage } from '../../core/ocr/tesseract-engine.js';
import type { OcrWord } from '../../core/model.js';

const word = (text: string, confidence: number, x0: number, x1: number, y0: number, y1: number): OcrWord => ({ text, confidence, box: { x0, y0, x1, y1 } });

/**
 * The worn dot-matrix liquidación's total as Tesseract read it (boxes and confidences as read): a
 * 30-dot leader under a weak pin's faint row read "oii tía a"; its type advances 30.4 px a character.
 */
const totalLine = (): OcrWord[] => [
  word('Total', 94, 372, 522, 764, 802),
  word('a', 94, 555, 582, 773, 802),
  word('pagar', 92, 617, 763, 772, 810),
  word('oii', 7, 812, 934, 790, 801),
  word('tía', 5, 977, 1205, 789, 802),
  word('a', 7, 1330, 1415, 790, 801),
  word('A', 96, 1727, 1759, 769, 800),
  word('241.995', 95, 1790, 1997, 768, 802),
];

const texts = (words: readonly OcrWord[]) => words.map((w) => w.text).join(' ');

describe('dot leaders', () => {
  it('reads a leader misread as letters as the dots that fill its place up to the amount', () => {
    const read = withDotLeaders(totalLine());
    // 30 dots typed; counted by the line's advance from word boxes (their edges vary with each
    // letter's shape), within a dot.
    expect(texts(read)).toMatch(/^Total a pagar \.{29,31} A 241\.995$/);
    const leader = read[3]!;
    // Its box spans the dots' place (after "pagar" and a space, up to the amount), as sure as the marks were read.
    expect(leader.box.x0).toBeGreaterThan(763);
    expect(leader.box.x1).toBeLessThanOrEqual(1727);
    expect(leader.box.x1).toBeGreaterThan(1415);
    expect(leader.confidence).toBeCloseTo((7 * 3 + 5 * 3 + 7) / 7, 6);
  });

  it('takes dots read beside the misread marks into the leader, and counts to the line end when no word follows', () => {
    const line = [...totalLine().slice(0, 3), word('.....', 80, 812, 934, 790, 801), word('_.errrr:', 0, 977, 1415, 789, 802)];
    // From "pagar" (x 617) to the marks' end (x 1415), about 26 characters' place: "pagar", a space, about 20 dots.
    expect(texts(withDotLeaders(line))).toMatch(/^Total a pagar \.{19,21}$/);
  });

  it('leaves alone what a leader is not', () => {
    const [total, a, pagar, , , , amountSign, amount] = totalLine();
    const cases: OcrWord[][] = [
      // A word of small letters as tall as its line's small letters, however unsure.
      [total!, a!, pagar!, word('mesmo', 20, 812, 963, 773, 802), amountSign!, amount!],
      // Capitals and digits are never that short: what is read so low is something else.
      [total!, a!, pagar!, word('ELE', 20, 812, 1100, 790, 801), amountSign!, amount!],
      [total!, a!, pagar!, word('oi2', 20, 812, 1100, 790, 801), amountSign!, amount!],
      // Dots read as dots stay as read; a form's blank line read as underscores is a rule, not a leader.
      [total!, a!, pagar!, word('.........', 88, 812, 1100, 790, 801), amountSign!, amount!],
      [total!, a!, pagar!, word('_________', 30, 812, 1100, 795, 801), amountSign!, amount!],
      // A speck far from the line's text (500 px on), or a mark shorter than four characters.
      [total!, a!, pagar!, word('e.', 0, 1263, 1385, 790, 801)],
      [total!, a!, pagar!, word('e.', 0, 812, 870, 790, 801), amountSign!, amount!],
      // Marks that are low but not on the baseline (a rule through the middle of the line).
      [total!, a!, pagar!, word('oii', 7, 812, 1205, 775, 786), amountSign!, amount!],
    ];
    for (const line of cases) expect(texts(withDotLeaders(line))).toBe(texts(line));
  });

  it('changes nothing on a line too unsure to measure', () => {
    const unsure = totalLine().map((w) => ({ ...w, confidence: Math.min(w.confidence, 70) }));
    expect(texts(withDotLeaders(unsure))).toBe(texts(unsure));
  });

  it('is how the engine keeps a reading: dots in the text, the confidence as the engine read the marks', () => {
    const bbox = (w: OcrWord) => ({ x0: w.box.x0, y0: w.box.y0, x1: w.box.x1, y1: w.box.y1 });
    const line = totalLine();
    const page = {
      blocks: [{ paragraphs: [{ lines: [{ bbox: { x0: 372, y0: 764, x1: 1997, y1: 810 }, words: line.map((w) => ({ text: w.text, confidence: w.confidence, bbox: bbox(w) })) }] }] }],
    } as unknown as Tesseract.Page;
    const read = toOcrPage(page);
    expect(read.text).toMatch(/^Total a pagar \.{29,31} A 241\.995$/);
    expect(read.lines[0]!.words.map((w) => w.text)).toEqual(read.text.split(' '));
    const characters = line.reduce((sum, w) => sum + [...w.text].length, 0);
    expect(read.confidence).toBeCloseTo(line.reduce((sum, w) => sum + w.confidence * [...w.text].length, 0) / characters, 6);
  });
});
