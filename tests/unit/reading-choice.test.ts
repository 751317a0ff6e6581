/**
 * Which of a page's readings is kept (reading-choice.ts): a sound reading replaces a flawed one
 * unless far less sure, a flawed one never replaces a sound one, else the surer is kept. The flaws
 * themselves are judged elsewhere (skipped-text.test.ts, handwriting.test.ts); here a reading is
 * flawed when the test says so.
 */
import { describe, expect, it } from 'vitest';
import type { OcrPage } from '../../core/model.js';
import { NEARLY_AS_SURE, replacesReading } from '../../core/pipeline/reading-choice.js';

const flawedOnes = new Set<OcrPage>();
const reading = (confidence: number, flawed = false): OcrPage => {
  const page: OcrPage = { text: `read at ${confidence}`, confidence, lines: [] };
  if (flawed) flawedOnes.add(page);
  return page;
};
const flawed = (page: OcrPage) => flawedOnes.has(page);
const surer = (a: OcrPage, b: OcrPage) => (a.confidence ?? 0) > (b.confidence ?? 0);

describe('which reading is kept', () => {
  it('a reading without the flaw replaces one with it, a little less sure (the solicitud read without its pen: 91.0 against 91.2)', () => {
    expect(replacesReading(reading(91.0), reading(91.2, true), flawed, surer)).toBe(true);
    expect(replacesReading(reading(91.2 - NEARLY_AS_SURE), reading(91.2, true), flawed, surer)).toBe(true);
  });

  it('but not one far less sure: the repair that took the flaw away took the page with it', () => {
    expect(replacesReading(reading(91.2 - NEARLY_AS_SURE - 0.5), reading(91.2, true), flawed, surer)).toBe(false);
  });

  it('a flawed reading never replaces a sound one, however sure', () => {
    expect(replacesReading(reading(99, true), reading(80), flawed, surer)).toBe(false);
  });

  it('between two sound readings, or two flawed ones, the surer', () => {
    expect(replacesReading(reading(93), reading(92), flawed, surer)).toBe(true);
    expect(replacesReading(reading(92), reading(93), flawed, surer)).toBe(false);
    expect(replacesReading(reading(93, true), reading(92, true), flawed, surer)).toBe(true);
  });
});
