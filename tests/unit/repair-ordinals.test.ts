import { describe, expect, it } from 'vitest';
import { ordinalGender, repairOrdinals } from '../../core/ocr/repair-ordinals.js';

describe("the gender of an ordinal's sign", () => {
  it.each([
    // [before, ordinal as read, after, expected]
    ['CLAUSULA', '1º', '-', '1ª'],
    ['Cláusula', '4*', '–', '4ª'],
    ['da', '1º', 'e', '1ª'],
    ['pela', '2º', 'vez', '2ª'],
    ['para', '5º', 'série', '5ª'],
    ['na', '3º.', undefined, '3ª.'],
    ['la', '1º', 'sesión', '1ª'],
    ['Art.', '1ª', 'Fica', '1º'],
    ['do', '2ª', 'andar', '2º'],
    ['em', '1ª', 'dia', '1º'],
    ['el', '3*', 'piso', '3º'],
  ])('%s %s %s → %s', (before, read, after, expected) => {
    expect(ordinalGender(read, before, after)).toBe(expected);
  });

  it('is left as read when nothing around it says the gender', () => {
    // "a" and "o" may be prepositions: "de 1º a 5º ano".
    expect(ordinalGender('5º', 'a', 'ano,')).toBe('5º');
    expect(ordinalGender('5ª', 'a', 'turma')).toBe('5ª');
    expect(ordinalGender('1º', 'de', 'de')).toBe('1º');
    expect(ordinalGender('4*', 'nota', undefined)).toBe('4*');
    expect(ordinalGender('4*', 'item', undefined)).toBe('4*');
    expect(ordinalGender('4*', 'e', 'e')).toBe('4*');
    // Not an ordinal: a number alone, a word, a sign with no number.
    for (const word of ['12', 'º', 'nº', '1º2', 'série']) expect(ordinalGender(word, 'da', 'série')).toBe(word);
  });

  it("reads a page's words in order, each ordinal by its own neighbours", () => {
    const read = ['professores', 'da', '1º', 'e', 'da', '2º', 'série', 'no', '1º', 'dia'];
    expect(repairOrdinals(read)).toEqual(['professores', 'da', '1ª', 'e', 'da', '2ª', 'série', 'no', '1º', 'dia']);
  });
});
