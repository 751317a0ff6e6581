import { describe, expect, it } from 'vitest';
import { isNoiseLine, isStrayMark, NOISE_LINE_CONFIDENCE, STRAY_MARK_CONFIDENCE } from '../../core/ocr/noise-lines.js';

describe('noise lines', () => {
  it('calls a line noise only when the engine is unsure of every word', () => {
    expect(isNoiseLine([{ confidence: 0 }])).toBe(true);
    expect(isNoiseLine([{ confidence: 4 }, { confidence: NOISE_LINE_CONFIDENCE - 1 }])).toBe(true);
    // One word read well keeps the line (a damaged word among good ones is still text).
    expect(isNoiseLine([{ confidence: 13 }, { confidence: 96 }])).toBe(false);
    // A real word alone on its line, read with little confidence, is kept.
    expect(isNoiseLine([{ confidence: 23 }])).toBe(false);
    expect(isNoiseLine([])).toBe(false);
  });
});

describe('a stray mark', () => {
  it('is a vertical bar standing alone, however sure the engine is of it', () => {
    for (const text of ['|', '||', "'|", '|.', '¦|']) expect(isStrayMark({ text, confidence: 96 })).toBe(true);
  });

  it('is punctuation alone that the engine is unsure of', () => {
    for (const text of [':', "'", '>', '-', '“-.', '—']) expect(isStrayMark({ text, confidence: STRAY_MARK_CONFIDENCE - 1 })).toBe(true);
  });

  it('is never a word with a letter or a digit in it, nor typed punctuation read surely', () => {
    for (const text of ['a', 'à', 'Art.', '1º', '|ei', 'l|', '(2)', '§1']) expect(isStrayMark({ text, confidence: 5 })).toBe(false);
    for (const text of ['-', '—', '§', '*', '...', ':']) expect(isStrayMark({ text, confidence: STRAY_MARK_CONFIDENCE })).toBe(false);
  });
});
