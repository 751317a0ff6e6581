import { describe, expect, it } from 'vitest';
import { isNoiseLine, NOISE_LINE_CONFIDENCE } from '../../core/ocr/noise-lines.js';

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
