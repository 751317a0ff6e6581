/**
 * One misread letter put back: against the real dictionaries the project ships, the letters faint
 * and speckled type makes the engine misread come back (words as tesseract.js read the hard
 * pages), while names, known words, word ends broken across lines, capitals and words a letter
 * away from two known words are left exactly as read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { letterRepair, type LetterRepair } from '../../core/ocr/repair-letters.js';
import { accentRepair, repairWords, type AccentRepair } from '../../core/ocr/restore-accents.js';
import { lexiconFor } from '../../core/ocr/spelling-lexicon.js';

let letters: LetterRepair;
let accents: AccentRepair;
const repair = (word: string, language = 'por', previous?: string) => letters.repair(word, language, previous);

beforeAll(async () => {
  const lexicon = await lexiconFor(['por', 'spa', 'eng']);
  expect(lexicon).not.toBeNull();
  letters = letterRepair(lexicon!);
  accents = accentRepair(lexicon!);
});

describe('one letter, against the shipped dictionaries', () => {
  it.each([
    ['Denartamento', 'Departamento'],
    ['facuitativo', 'facultativo'],
    ['faculfativo', 'facultativo'],
    ['púbiica', 'pública'],
    ['objero', 'objeto'],
    ['irformamos', 'informamos'],
    ['Eletricidage', 'Eletricidade'],
    ['Comencial', 'Comercial'],
    ['“manisestou', '“manifestou'],
    ['havendd', 'havendo'],
    ['IHustríssimo', 'Ilustríssimo'],
    ['imóvet.', 'imóvel.'],
  ])('%s → %s', (read, expected) => {
    expect(repair(read)).toBe(expected);
  });

  it('reads a Spanish page against the Spanish dictionary', () => {
    expect(repair('ipabilitada.')).toBe('inabilitada.');
    expect(repair('Direcdión', 'spa')).toBe('Dirección');
  });

  it('keeps words the dictionary knows, though a letter away from another', () => {
    for (const word of ['departamento', 'pessoal', 'medidos', 'pedidos', 'escala', 'escola']) expect(repair(word)).toBe(word);
  });

  it('keeps a word a letter away from two known words: the page cannot say which', () => {
    // "Escela": escala or escola.
    expect(repair('Escela')).toBe('Escela');
    expect(repair('vedidos')).toBe('vedidos');
  });

  it('never changes the capital a word starts with: names are what the dictionary does not know', () => {
    expect(repair('Ocampo', 'spa')).toBe('Ocampo');
    expect(repair('Guemes', 'spa')).toBe('Guemes');
    // Eight letters, a letter from "gracieta": short enough to be a name.
    expect(repair('Graciela', 'spa')).toBe('Graciela');
    expect(repair('Graciela')).toBe('Graciela');
  });

  it('leaves the rest of a word broken across lines, short words, capitals and numbers', () => {
    expect(repair('ilidade', 'por', 'responsab-')).toBe('ilidade');
    expect(repair('ilidade', 'por', 'responsab')).not.toBe('ilidade');
    for (const word of ['obje', 'ASSUNCAO', 'Denartamento'.toUpperCase(), '1.873/86,', 'CREA']) expect(repair(word)).toBe(word);
  });
});

describe('a page of words', () => {
  it('puts the sign of número back, then accents, then one letter, and leaves the rest as read', () => {
    const read = ['Memorando', 'n2', '27/1983', 'Do:', 'Chefe', 'do', 'Denartamento', 'de', 'Pessoal', 'vacinacáo', 'Servicos', 'Ocampo'];
    expect(repairWords(read, accents, letters)).toEqual(['Memorando', 'nº', '27/1983', 'Do:', 'Chefe', 'do', 'Departamento', 'de', 'Pessoal', 'vacinação', 'Serviços', 'Ocampo']);
    // Without the letter repair, as a caller that asks only for accents gets.
    expect(repairWords(read, accents)[6]).toBe('Denartamento');
  });
});
