import { describe, expect, it } from 'vitest';
import type Tesseract from 'tesseract.js';
import { toOcrPage } from '../../core/ocr/tesseract-engine.js';
import { GIBBERISH_WORD_CONFIDENCE, gibberishWords, isGibberishLine, PART_GAP, isNoiseLine, isSpeckMark, isStrayMark, NOISE_LINE_CONFIDENCE, SPECK_MARK_CONFIDENCE, STRAY_MARK_CONFIDENCE } from '../../core/ocr/noise-lines.js';

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

describe('speck marks', () => {
  it('are lone marks of the shapes specks read as, not read surely', () => {
    // As the speckled hard pages read them, at 52–92.
    for (const text of ['.', ':', ',', ';', "'", '”', '“', '*', '¢', '=', '+.', '-.', '—.', '*.', "-'", '.”', '’,', '(', '..']) {
      expect(isSpeckMark({ text, confidence: SPECK_MARK_CONFIDENCE - 1 }), text).toBe(true);
      expect(isSpeckMark({ text, confidence: SPECK_MARK_CONFIDENCE }), text).toBe(false);
    }
  });

  it('are never a dash, a sign typed alone, a leader or an ellipsis, nor anything with a letter or a digit', () => {
    for (const text of ['-', '–', '—', '--', '%', '&', '§', '/', '$', '...', '..............', '(...)', '…', 'a', '1º', '.a', 'e:', '2.']) {
      expect(isSpeckMark({ text, confidence: STRAY_MARK_CONFIDENCE }), text).toBe(false);
    }
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

describe('the gibberish words of a line', () => {
  /** Words laid out from x = 300, each `gap` pixels after the last unless a gap is given with it. */
  const line = (...words: [text: string, confidence: number, known: boolean, gapBefore?: number][]) => {
    let x = 300;
    return words.map(([text, confidence, known, gap = 38]) => {
      const x0 = x + gap;
      x = x0 + 25 * text.length;
      return { text, confidence, known, box: { x0, x1: x } };
    });
  };

  it("are a part far from the line's text that reads as gibberish (the back of the sheet joining a line's end)", () => {
    // bleed-through/02 of the hard pages: the junk 270 px right of words 38 px apart, text height 47.
    const read = line(['Nestes', 92, true], ['termos,', 90, true], ['es', 0, true, 270], ['12049', 0, false], ['9b', 93, false], ['lso:', 26, false]);
    expect(gibberishWords(read, 47)).toEqual([2, 3, 4, 5]);
    // The same words at the line's usual spacing are one part, and not gibberish as a whole.
    const near = line(['Nestes', 92, true], ['termos,', 90, true], ['es', 0, true], ['12049', 0, false], ['9b', 93, false], ['lso:', 26, false]);
    expect(gibberishWords(near, 47)).toEqual([]);
    // Without a text height the line is judged whole.
    expect(gibberishWords(read, undefined)).toEqual([]);
  });

  it('are every word of a line of gibberish', () => {
    expect(gibberishWords(line(['BL', 10, false], ['TLUIRA', 5, false], ['hpi', 34, false]), 47)).toEqual([0, 1, 2]);
  });

  it('are never a far part that reads as text, nor a far part of one or two words', () => {
    // A form's columns: far apart, each read surely.
    const columns = line(['Área:', 95, true], ['120', 96, false], ['m²', 90, false], ['Valor:', 96, true, 400], ['184.220.000,00', 93, false]);
    expect(gibberishWords(columns, 47)).toEqual([]);
    // A faint name far right of a date (a signature block): two words are never gibberish.
    expect(gibberishWords(line(['Ipê,', 95, true], ['5', 96, false], ['de', 96, true], ['Héctor', 20, false, 600], ['Rubén', 25, false]), 47)).toEqual([]);
    // Only wider than PART_GAP text heights parts a line.
    const justUnder = line(['Nestes', 92, true], ['termos,', 90, true], ['es', 0, true, PART_GAP * 47], ['12049', 0, false], ['9b', 93, false], ['lso:', 26, false]);
    expect(gibberishWords(justUnder, 47)).toEqual([]);
  });
});

describe('a reading as Acervo keeps it (toOcrPage)', () => {
  const box = (x0: number) => ({ x0, y0: 100, x1: x0 + 40, y1: 140 });
  const word = (text: string, confidence: number, x0: number) => ({ text, confidence, bbox: box(x0) });
  const page = (words: ReturnType<typeof word>[]) =>
    ({ blocks: [{ paragraphs: [{ lines: [{ bbox: { x0: 0, y0: 100, x1: 1000, y1: 140 }, baseline: { x0: 0, y0: 138, x1: 1000, y1: 138 }, words }] }] }] }) as unknown as Tesseract.Page;

  it('leaves speck marks out of the text but counts them in the confidence; stray marks count nowhere', () => {
    const read = toOcrPage(page([word('Fica', 90, 0), word(':', 60, 60), word('declarado', 90, 100), word('|', 96, 300), word("'", 30, 400)]));
    expect(read.text).toBe('Fica declarado');
    expect(read.lines[0]!.words.map((w) => w.text)).toEqual(['Fica', 'declarado']);
    // (90 × 4 + 60 × 1 + 90 × 9) / 14: the speck lowers the page's confidence as it did when it was kept.
    expect(read.confidence).toBeCloseTo((90 * 4 + 60 + 90 * 9) / 14, 6);
  });
});
