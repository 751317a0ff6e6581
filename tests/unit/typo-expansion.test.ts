import { describe, expect, it } from 'vitest';
import {
  boundedEditDistance,
  expandWord,
  isVocabularyTerm,
  MAX_EXPANSIONS_PER_WORD,
  typoBudget,
  type VocabularySource,
} from '../../core/search/typo-expansion.js';

/** An in-memory vocabulary that records the lookups it serves. */
function vocabulary(entries: Record<string, number>): VocabularySource & { lookups: [string, number, number][] } {
  const lookups: [string, number, number][] = [];
  return {
    lookups,
    candidates(first, minLength, maxLength) {
      lookups.push([first, minLength, maxLength]);
      return Object.keys(entries).filter((term) => term.startsWith(first) && term.length >= minLength && term.length <= maxLength);
    },
    pages: (term) => entries[term] ?? 0,
  };
}

describe('boundedEditDistance', () => {
  it('counts substitutions, insertions, deletions and adjacent swaps as one edit each', () => {
    expect(boundedEditDistance('licitacao', 'licitacao', 2)).toBe(0);
    expect(boundedEditDistance('licitacao', 'licltacao', 2)).toBe(1);
    expect(boundedEditDistance('alvara', 'alvaras', 2)).toBe(1);
    expect(boundedEditDistance('alvara', 'alvra', 2)).toBe(1);
    expect(boundedEditDistance('certidao', 'cetridao', 2)).toBe(1);
    expect(boundedEditDistance('certidao', 'cetirdao', 2)).toBe(2);
  });

  it('stops at the bound', () => {
    expect(boundedEditDistance('licitacao', 'licenca', 1)).toBe(2);
    expect(boundedEditDistance('abc', 'abcdefgh', 2)).toBe(3);
    expect(boundedEditDistance('prefeitura', 'xxxxxxxxxx', 2)).toBe(3);
  });

  it('handles long words and empty strings', () => {
    const long = 'a'.repeat(100);
    expect(boundedEditDistance(long, `${long}b`, 1)).toBe(1);
    expect(boundedEditDistance('', 'ab', 2)).toBe(2);
  });
});

describe('typoBudget', () => {
  it('allows one edit from 5 letters and two from 9', () => {
    expect(typoBudget('lote')).toBe(0);
    expect(typoBudget('alvara')).toBe(1);
    expect(typoBudget('certidao')).toBe(1);
    expect(typoBudget('licitacao')).toBe(2);
  });

  it('allows none for numbers or words with digits', () => {
    expect(typoBudget('19871')).toBe(0);
    expect(typoBudget('processo12')).toBe(0);
  });
});

describe('isVocabularyTerm', () => {
  it('takes words of 4 to 40 letters, and nothing with a digit', () => {
    expect(isVocabularyTerm('obra')).toBe(true);
    expect(isVocabularyTerm('certidao')).toBe(true);
    expect(isVocabularyTerm('ato')).toBe(false);
    expect(isVocabularyTerm('processo2')).toBe(false);
    expect(isVocabularyTerm('x'.repeat(41))).toBe(false);
  });
});

describe('expandWord', () => {
  it('finds words within the budget that start with the same letter, never the word itself', () => {
    const source = vocabulary({ licitacao: 50, licltacao: 3, licitacoa: 9, licitasso: 100, licitacoes: 70, iicitacao: 4, licenca: 20, solicitacao: 2 });
    expect(expandWord('licitacao', source)).toEqual(['licitacoa', 'licltacao', 'licitasso']);
  });

  it('looks up only the first letter and the length band the budget reaches', () => {
    const source = vocabulary({});
    expandWord('alvara', source);
    expandWord('licitacao', source);
    expect(source.lookups).toEqual([
      ['a', 5, 7],
      ['l', 7, 11],
    ]);
  });

  it('expands known words too, because scanned text holds misspellings of them', () => {
    const source = vocabulary({ certidao: 500, certldao: 2 });
    expect(expandWord('certidao', source)).toEqual(['certldao']);
  });

  it('does not expand short words or numbers', () => {
    const source = vocabulary({ lote: 1, lota: 1, '1987': 1, '1988': 1 });
    expect(expandWord('lote', source)).toEqual([]);
    expect(expandWord('1987', source)).toEqual([]);
    expect(source.lookups).toEqual([]);
  });

  it('prefers closer words, then more frequent ones, and caps the list', () => {
    const entries: Record<string, number> = { prefeitura: 1, prefeiturra: 1 };
    // 30 one-edit neighbours of "prefeitura" with rising frequencies, and one two-edit word that is very frequent.
    const letters = 'bcdfghjklmnpqrstvwxyzáéíóúãõâêô';
    for (let i = 0; i < 30; i += 1) entries[`prefeitur${letters[i]}`] = i + 10;
    entries['prefeitoro'] = 10_000;

    const expanded = expandWord('prefeitura', vocabulary(entries));

    expect(expanded).toHaveLength(MAX_EXPANSIONS_PER_WORD);
    expect(expanded[0]).toBe(`prefeitur${letters[29]}`);
    expect(expanded).not.toContain('prefeitoro');
    expect(expandWord('prefeitura', vocabulary(entries), { limit: 3 })).toHaveLength(3);
  });

  it('skips words a prefix query already matches', () => {
    const source = vocabulary({ licito: 5, licita: 5, lucit: 1 });
    expect(expandWord('licit', source, { prefix: true })).toEqual(['lucit']);
    expect(expandWord('licit', source).sort()).toEqual(['licita', 'licito', 'lucit']);
  });
});
