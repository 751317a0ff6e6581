import { describe, expect, it } from 'vitest';
import type { OcrLine, OcrPage } from '../../core/model.js';
import { withoutLines, withoutWords, withWords, wordsOf } from '../../core/ocr/page-words.js';

/** A page laid out as the engine joins it: words at spaces, lines at '\n', paragraphs at '\n\n'. */
function page(paragraphs: string[][], confidence = 80): OcrPage {
  const lines: OcrLine[] = [];
  for (const paragraph of paragraphs) {
    for (const text of paragraph) {
      const y = lines.length * 30;
      lines.push({ box: { x0: 0, y0: y, x1: 500, y1: y + 20 }, words: text.split(' ').map((w, i) => ({ text: w, box: { x0: i * 60, y0: y, x1: i * 60 + 50, y1: y + 20 }, confidence: 90 })) });
    }
  }
  return { lines, text: paragraphs.map((p) => p.join('\n')).join('\n\n'), confidence };
}

describe('a reading with lines left out', () => {
  it('loses those lines from its lines and its text, paragraph breaks kept, confidence as read', () => {
    const read = page([['Excelentíssimo Senhor Prefeito', 'OADAXLIIAJRIA AA HOT?'], ['Geraldo Magela Nogueira', 'ANMAOIV', 'residente à Rua Tiradentes']], 84.5);
    const out = withoutLines(read, new Set([1, 3]));
    expect(out.text).toBe('Excelentíssimo Senhor Prefeito\n\nGeraldo Magela Nogueira\nresidente à Rua Tiradentes');
    expect(out.lines.map((l) => l.words.map((w) => w.text).join(' '))).toEqual(['Excelentíssimo Senhor Prefeito', 'Geraldo Magela Nogueira', 'residente à Rua Tiradentes']);
    expect(out.confidence).toBe(84.5);
  });

  it('drops a whole paragraph and the last line without leaving blank lines behind', () => {
    const read = page([['Ofício nº 12'], ['XQZT WVK'], ['São João do Ipê', 'LMELENLÉ']]);
    expect(withoutLines(read, new Set([1, 3])).text).toBe('Ofício nº 12\n\nSão João do Ipê');
  });

  it('leaves out the line asked for when another line reads the same', () => {
    const read = page([['AA', 'texto', 'AA']]);
    const out = withoutLines(read, new Set([2]));
    expect(out.text).toBe('AA\ntexto');
    expect(out.lines).toHaveLength(2);
  });

  it('is the same page when nothing is left out', () => {
    const read = page([['Ofício nº 12']]);
    expect(withoutLines(read, new Set())).toBe(read);
  });
});

describe('a reading with words repaired', () => {
  it('keeps its order and boxes and rebuilds its text word for word', () => {
    const read = page([['Servicos de saude', 'publica']]);
    expect(wordsOf(read)).toEqual(['Servicos', 'de', 'saude', 'publica']);
    const { page: out, restored } = withWords(read, ['Serviços', 'de', 'saúde', 'pública']);
    expect(restored).toBe(3);
    expect(out.text).toBe('Serviços de saúde\npública');
    expect(out.lines[0]!.words[0]!.box).toEqual(read.lines[0]!.words[0]!.box);
  });
});

describe('a reading with words left out', () => {
  it('loses them from its lines and its text, spaces and paragraph breaks kept right, the line box narrowed', () => {
    const read = page([['Nestes termos, es 12049 9b', 'Pede deferimento.'], ['XQ São João do Ipê']], 90.5);
    // Words 2–4 (the end of the first line) and 7 (the first of the last).
    const out = withoutWords(read, new Set([2, 3, 4, 7]));
    expect(out.text).toBe('Nestes termos,\nPede deferimento.\n\nSão João do Ipê');
    expect(out.lines.map((l) => l.words.map((w) => w.text).join(' '))).toEqual(['Nestes termos,', 'Pede deferimento.', 'São João do Ipê']);
    expect(out.lines[0]!.box).toEqual({ x0: 0, y0: 0, x1: 110, y1: 20 });
    expect(out.lines[2]!.box).toEqual({ x0: 60, y0: 60, x1: 290, y1: 80 });
    expect(out.lines[1]).toBe(read.lines[1]);
    expect(out.confidence).toBe(90.5);
  });

  it('leaves out a word in the middle of a line with its space', () => {
    expect(withoutWords(page([['Nestes -- termos,']]), new Set([1])).text).toBe('Nestes termos,');
  });

  it('is the same page when nothing is left out', () => {
    const read = page([['Ofício nº 12']]);
    expect(withoutWords(read, new Set())).toBe(read);
  });
});
