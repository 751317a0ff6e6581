import { describe, expect, it } from 'vitest';
import { numeroSign } from '../../core/ocr/repair-numero-sign.js';

describe('the sign of número', () => {
  it.each([
    ['N2', '112/1983', 'Nº'],
    ['ne', '27/87,', 'nº'],
    ['Ne', '3', 'Nº'],
    ['n?', '1.234', 'nº'],
    ['N°', '45', 'Nº'],
    ['N9', '12', 'Nº'],
    // The sign read right, a speck beside it read as a small round letter.
    ['nºe', '412/94,', 'nº'],
    ['Nºo', '7', 'Nº'],
  ])('is put back from %s before %s', (word, next, expected) => {
    expect(numeroSign(word, next)).toBe(expected);
  });

  it('is not made from words, nor without a number after it', () => {
    // "no 5º andar": "no" is a word in Portuguese and Spanish.
    expect(numeroSign('no', '5º')).toBe('no');
    expect(numeroSign('No', '12')).toBe('No');
    expect(numeroSign('NO', '12')).toBe('NO');
    expect(numeroSign('ne', 'de')).toBe('ne');
    expect(numeroSign('N2', undefined)).toBe('N2');
    expect(numeroSign('nº', '12')).toBe('nº');
    expect(numeroSign('Ne2', '12')).toBe('Ne2');
    // "nºs 12 e 13": números, as typed.
    expect(numeroSign('nºs', '12')).toBe('nºs');
    expect(numeroSign('nºe', 'de')).toBe('nºe');
  });
});
