/**
 * A corrected page text lined up with the machine's words (core/pdf/word-alignment.ts), and the
 * corrected words placed on the machine's lines (core/pdf/corrected-layout.ts): what decides where
 * a corrected word is drawn in the invisible text layer.
 */
import { describe, expect, it } from 'vitest';
import { alignWords } from '../../core/pdf/word-alignment.js';
import { correctedOcrLines, linesAcross, placeOnLines } from '../../core/pdf/corrected-layout.js';
import type { OcrLine } from '../../core/model.js';

const words = (text: string) => text.split(' ');

describe('aligning a corrected text with the machine words', () => {
  it('keeps every unchanged word in its own place and puts a replaced word in the misread one', () => {
    const aligned = alignWords(words('Processo nº 1B73/87 de Joao Slva'), words('Processo nº 1873/87 de João Silva'))!;
    expect(aligned.map((w) => [w.text, w.start, w.end, w.same])).toEqual([
      ['Processo', 0, 1, true],
      ['nº', 1, 2, true],
      ['1873/87', 2, 3, false],
      ['de', 3, 4, true],
      ['João', 4, 5, false],
      ['Silva', 5, 6, false],
    ]);
  });

  it('splits a word the machine ran together within its place, and joins a word it cut over both places', () => {
    const split = alignWords(words('rua dasFlores 12'), words('rua das Flores 12'))!;
    expect(split.map((w) => w.text)).toEqual(['rua', 'das', 'Flores', '12']);
    const [das, flores] = [split[1]!, split[2]!];
    expect(das.start).toBe(1);
    expect(das.end).toBeLessThan(flores.start);
    expect(flores.end).toBe(2);
    expect(split[3]).toMatchObject({ start: 2, end: 3, same: true });

    const joined = alignWords(words('Certi dão de óbito'), words('Certidão de óbito'))!;
    expect(joined[0]).toMatchObject({ text: 'Certidão', start: 0, end: 2, same: false });
    expect(joined.slice(1).every((w) => w.same)).toBe(true);
  });

  it('shares the place of the word before an inserted word, and of the word after one at the start', () => {
    const inserted = alignWords(words('Em 2 março'), words('Em 2 de março'))!;
    expect(inserted.map((w) => w.text)).toEqual(['Em', '2', 'de', 'março']);
    expect(inserted[1]!.start).toBe(1);
    expect(inserted[2]!.end).toBe(2);
    expect(inserted[3]).toMatchObject({ start: 2, end: 3, same: true });
    const first = alignWords(words('Prefeitura Municipal'), words('A Prefeitura Municipal'))!;
    expect(first[0]!.start).toBe(0);
    expect(first[1]!.end).toBe(1);
    expect(first[2]).toMatchObject({ same: true, start: 1 });
  });

  it('draws nothing for a deleted word, and cannot place words where the machine read none', () => {
    expect(alignWords(words('o o processo'), words('o processo'))!.map((w) => [w.text, w.start])).toEqual([
      ['o', 0],
      ['processo', 2],
    ]);
    expect(alignWords([], ['texto'])).toBeNull();
    expect(alignWords(['texto'], [])).toEqual([]);
  });
});

describe('placing corrected words on the lines', () => {
  const line = (y: number, texts: string[]): OcrLine => {
    let x = 100;
    const placed = texts.map((text) => {
      const box = { x0: x, y0: y, x1: x + 20 * text.length, y1: y + 30 };
      x = box.x1 + 20;
      return { text, box, confidence: 80 };
    });
    return { box: { x0: 100, y0: y, x1: x - 20, y1: y + 30 }, words: placed, textSize: 30 };
  };

  it('boxes a replaced word within the misread one and keeps the machine word objects of unchanged ones', () => {
    const lines = [line(100, ['Requerente:', 'Joao']), line(200, ['CPF', '123.456.789-O9'])];
    const corrected = correctedOcrLines(lines, 'Requerente: João\nCPF 123.456.789-09')!;
    expect(corrected[0]!.words[0]).toBe(lines[0]!.words[0]);
    expect(corrected[0]!.words[1]).toMatchObject({ text: 'João', box: lines[0]!.words[1]!.box });
    expect(corrected[1]!.words[1]).toMatchObject({ text: '123.456.789-09', box: lines[1]!.words[1]!.box });
  });

  it('keeps a word that runs over a line break on the line it starts on', () => {
    const placed = placeOnLines(
      [
        [{ text: 'proces', x0: 0, x1: 60 }],
        [{ text: 'so', x0: 0, x1: 20 }, { text: 'nº', x0: 30, x1: 50 }],
      ],
      'processo nº',
    )!;
    expect(placed[0]).toHaveLength(1);
    expect(placed[0]![0]).toMatchObject({ text: 'processo', x0: 0, x1: 60 });
    expect(placed[1]!.map((w) => w.text)).toEqual(['nº']);
  });

  it('lays lines across a page where the machine read nothing', () => {
    const lines = linesAcross('Folha em branco\n\nlida por engano', { x0: 0, y0: 0, x1: 600, y1: 800 });
    expect(lines.map((l) => l.words.map((w) => w.text).join(' '))).toEqual(['Folha em branco', 'lida por engano']);
    expect(lines[1]!.box.y0).toBeGreaterThan(lines[0]!.box.y1);
    expect(lines.every((l) => l.box.x1 <= 600 && l.box.y1 <= 800)).toBe(true);
  });
});
