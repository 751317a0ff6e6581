/**
 * Telling the back of a sheet showing through from text of the page's own, by the readings
 * (core/pipeline/clean/show-through.ts). The word lists are what real tesseract.js read of
 * generated pages (tests/unit/read-page.test.ts reads such pages for real): the back's text read
 * as it shows, read mirrored, and a typed line over it.
 */
import { describe, expect, it } from 'vitest';
import type { OcrPage } from '../../core/model.js';
import { hasLineOfItsOwn, isShowThroughOnly, mayBeShowThrough, readsAsText } from '../../core/pipeline/clean/show-through.js';

/** A reading from lines of `word:confidence`, with the page's confidence as the engine gave it. */
function reading(confidence: number | null, ...lines: string[]): OcrPage {
  const parsed = lines.map((line) =>
    line.split(' ').map((token) => {
      const at = token.lastIndexOf(':');
      return { text: token.slice(0, at), confidence: Number(token.slice(at + 1)), box: { x0: 0, y0: 0, x1: 1, y1: 1 } };
    }),
  );
  return {
    lines: parsed.map((lineWords) => ({ box: { x0: 0, y0: 0, x1: 1, y1: 1 }, words: lineWords })),
    text: parsed.map((lineWords) => lineWords.map((word) => word.text).join(' ')).join('\n'),
    confidence,
  };
}

// Read as it shows (a dark back, grey 160): short words sure, long ones not, digits mixed in.
const BACK_AS_IT_SHOWS = [
  'STBMÃÊO:35 6:93 92-ViMU9T:42 ofeops:33 ab:96 23m:77 ob:96',
  's9m99il:13 ab:93 0229001q:76 ob:95 161611:54 SsI15q:27 IsqidimuM:46',
  'ojista1g:68 ob:93 odasqesb:54 o:90 9:93 sido:53 sb:96',
  'ojzops:39 9b:95 23m:91 ob:93 2sib:85 si9229sab:40 20A:91',
  'olsq:90 obitsupst:58 somsvil:15 ab:92 0229001q:77 ob:92 161611:66',
  'ob:93 odosqesb:56 o:95 9:93 es1do:86 ab:87 of22imoo:24',
];
const BACK_MIRRORED = [
  'do:96 mês:95 de:96 agosto:96 reuniu-se:95 a:96 Câmara:96',
  'Municipal:96 para:96 tratar:96 do:96 processo:96 de:96 licença:95',
  'requerido:96 pelo:96 senhor:96 morador:96 da:96 rua:96 principal:95',
];
const TYPED_LINE = 'Aos:95 dezessete:96 dias:96 do:96 mês:94 de:96 agosto:96';

describe('show-through, by its readings', () => {
  it('the back read as it shows has no line of its own; its mirror image reads as text', () => {
    // The page's confidences as tesseract.js gave them for the whole generated pages: 47.5 and 95.9.
    const asItShows = reading(47.5, ...BACK_AS_IT_SHOWS);
    expect(hasLineOfItsOwn(asItShows)).toBe(false);
    expect(readsAsText(asItShows)).toBe(false);
    expect(mayBeShowThrough(asItShows)).toBe(true);
    expect(isShowThroughOnly(asItShows, reading(95.9, ...BACK_MIRRORED))).toBe(true);
  });

  it('a typed line over the back is text of the page\'s own: never called show-through', () => {
    const withLine = reading(49.1, TYPED_LINE, ...BACK_AS_IT_SHOWS);
    expect(hasLineOfItsOwn(withLine)).toBe(true);
    expect(mayBeShowThrough(withLine)).toBe(false);
    expect(isShowThroughOnly(withLine, reading(95.9, ...BACK_MIRRORED))).toBe(false);
    // A short line of words and a number is a line of its own too.
    expect(hasLineOfItsOwn(reading(47, 'Ofício:93 nº:90 12/1987:91', ...BACK_AS_IT_SHOWS))).toBe(true);
  });

  it('asks positive evidence: a page reading poorly both ways keeps its text', () => {
    const speckled = reading(45, 'Prefeitura:55 Municipal:48 de:70 Sao:40 Jose:52 decreta:45 ::30 ...:20');
    expect(mayBeShowThrough(speckled)).toBe(true);
    expect(isShowThroughOnly(speckled, reading(52, 'ojzops:39 9b:65 23m:51 ob:63 2sib:45 si9229sab:40'))).toBe(false);
    // Nor is a mirror image only a little better, or of too little text.
    expect(isShowThroughOnly(reading(47.5, ...BACK_AS_IT_SHOWS), reading(72, 'do:70 mês:72 de:71 agosto:73 reuniu-se:70 a:70 Câmara:75 Municipal:71'))).toBe(false);
    expect(isShowThroughOnly(reading(47.5, ...BACK_AS_IT_SHOWS), reading(96, 'Rua:96 da:95'))).toBe(false);
  });

  it('a page that reads nothing, or almost nothing, is not read again mirrored', () => {
    expect(mayBeShowThrough(reading(null))).toBe(false);
    expect(mayBeShowThrough(reading(15, '~:20 ,:10'))).toBe(false);
  });

  it('a page read clearly is text, whatever its lines', () => {
    const typed = reading(95.5, TYPED_LINE, 'Municipal:96 para:96 tratar:96 do:96 processo:96');
    expect(readsAsText(typed)).toBe(true);
    expect(mayBeShowThrough(typed)).toBe(false);
  });
});
