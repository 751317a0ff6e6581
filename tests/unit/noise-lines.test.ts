import { describe, expect, it } from 'vitest';
import { GIBBERISH_WORD_CONFIDENCE, isGibberishLine, isNoiseLine, isStrayMark, NOISE_LINE_CONFIDENCE, STRAY_MARK_CONFIDENCE } from '../../core/ocr/noise-lines.js';

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

describe('a line of gibberish', () => {
  const unsure = GIBBERISH_WORD_CONFIDENCE - 1;
  const word = (text: string, confidence: number, known = false) => ({ text, confidence, known });

  it('is what the back of a thin sheet reads as: unsure words no dictionary knows', () => {
    // Read from the show-through page of the hard samples (bleed-through/02), as the engine gave it.
    expect(isGibberishLine([word('OADAXLIIAJRIA', 31), word('AA"', 75), word('HOT?', 19, true), word('O', 96, true), word('ANMAOIV', 15)])).toBe(true);
    expect(isGibberishLine([word('BL', 10), word('TLUIRA', 5), word('hpi', 34)])).toBe(true);
  });

  it('is never a line of one or two words: a faint closing word or a name alone is text', () => {
    // The last line of the bundled resolución 27, as the engine reads it.
    expect(isGibberishLine([word('archívese.', 23)])).toBe(false);
    expect(isGibberishLine([word('Héctor', 30), word('Rubén', 25)])).toBe(false);
  });

  it('is never a line with a known word of three letters or more read surely', () => {
    expect(isGibberishLine([word('OADAXLIIAJRIA', 31), word('Rua', GIBBERISH_WORD_CONFIDENCE, true), word('ANMAOIV', 15)])).toBe(false);
    // Known but unsure, or sure but too short to tell, does not vouch for the line.
    expect(isGibberishLine([word('OADAXLIIAJRIA', 31), word('Rua', unsure, true), word('ANMAOIV', 15)])).toBe(true);
    expect(isGibberishLine([word('OADAXLIIAJRIA', 31), word('de', 96, true), word('ANMAOIV', 15)])).toBe(true);
  });

  it('is never a line of names or numbers the engine read surely', () => {
    expect(isGibberishLine([word('Itapecerica', 88), word('Guaraciaba', 91)])).toBe(false);
    expect(isGibberishLine([word('12.345/1987', 93)])).toBe(false);
  });

  it('needs most of the line to be unsure and unknown, not one bad word among good ones', () => {
    expect(isGibberishLine([word('Nestes', 92, true), word('termos,', 90, true), word('es', 0, true), word('12049', 0), word('9b', 93), word('lso:', 26)])).toBe(false);
    expect(isGibberishLine([word('Xqzt', 10), word('Wvkp', 20), word('abcdefghijk', 90)])).toBe(false);
    expect(isGibberishLine([word('Xqzt', 10), word('Wvkp', 20), word('Zrrt', 30), word('abcdefghijklmnopq', 90)])).toBe(false);
    expect(isGibberishLine([])).toBe(false);
  });
});
