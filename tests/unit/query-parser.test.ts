import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { foldText, ftsMatchExpression, ftsString, MAX_QUERY_WORDS, parseQuery, tokenize } from '../../core/search/query-parser.js';

describe('foldText / tokenize', () => {
  it('folds case and accents as the index does', () => {
    expect(foldText('Certidão ALVARÁ Licitação Niño Çedilha')).toBe('certidao alvara licitacao nino cedilha');
    expect(foldText('certida\u0303o')).toBe('certidao'); // decomposed input
  });

  it('splits on anything but letters and digits', () => {
    expect(tokenize("Proc. nº 12.345/1987 — d'água, guarda-chuva!")).toEqual(['proc', 'nº', '12', '345', '1987', 'd', 'agua', 'guarda', 'chuva']);
    expect(tokenize(' *()":^-+ ')).toEqual([]);
  });
});

describe('parseQuery', () => {
  it('turns bare words into fuzzy terms, the last one also a prefix', () => {
    expect(parseQuery('Alvará  licit')).toEqual([
      { tokens: ['alvara'], prefix: false, fuzzy: true },
      { tokens: ['licit'], prefix: true, fuzzy: true },
    ]);
  });

  it('keeps quoted phrases literal: no typo expansion, no prefix once closed', () => {
    expect(parseQuery('"Tomada de Preços" merenda')).toEqual([
      { tokens: ['tomada', 'de', 'precos'], prefix: false, fuzzy: false },
      { tokens: ['merenda'], prefix: true, fuzzy: true },
    ]);
    expect(parseQuery('merenda "tomada de preços"')[1]).toEqual({ tokens: ['tomada', 'de', 'precos'], prefix: false, fuzzy: false });
    expect(parseQuery('"alvará"')).toEqual([{ tokens: ['alvara'], prefix: false, fuzzy: false }]);
  });

  it('treats an unclosed quote as a phrase still being typed', () => {
    expect(parseQuery('"licença de func')).toEqual([{ tokens: ['licenca', 'de', 'func'], prefix: true, fuzzy: false }]);
  });

  it('keeps the parts of one typed chunk together as a phrase', () => {
    expect(parseQuery('12.345/19')).toEqual([{ tokens: ['12', '345', '19'], prefix: true, fuzzy: false }]);
    expect(parseQuery('guarda-chuva alvará')[0]).toEqual({ tokens: ['guarda', 'chuva'], prefix: false, fuzzy: false });
  });

  it('does not make a one-letter last word a prefix', () => {
    expect(parseQuery('alvará a')[1]).toEqual({ tokens: ['a'], prefix: false, fuzzy: true });
  });

  it('takes FTS5 operators and punctuation as plain words or separators', () => {
    expect(parseQuery('NEAR(alvará AND licença) title:obra -x*').map((term) => term.tokens)).toEqual([
      ['near', 'alvara'],
      ['and'],
      ['licenca'],
      ['title', 'obra'],
      ['x'],
    ]);
  });

  it('rejects blank queries and queries without letters or digits with QUERY_INVALID', () => {
    for (const text of ['', '   ', '\n\t', '"', '""', '" "', '*', '()', '-', ':^+']) {
      expect(() => parseQuery(text), JSON.stringify(text)).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
    }
    expect(() => parseQuery('')).toThrow(/type at least one word/);
  });

  it('rejects queries with more words than a search needs', () => {
    const words = (count: number) => Array.from({ length: count }, (_, i) => `palavra${i}`).join(' ');
    expect(parseQuery(words(MAX_QUERY_WORDS))).toHaveLength(MAX_QUERY_WORDS);
    expect(() => parseQuery(words(MAX_QUERY_WORDS + 1))).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
  });
});

describe('ftsMatchExpression', () => {
  it('quotes every term and ANDs them', () => {
    expect(ftsMatchExpression(parseQuery('alvará "tomada de preços" licit'))).toBe('"alvara" AND "tomada de precos" AND "licit"*');
  });

  it('adds alternatives to a term as an OR group', () => {
    expect(ftsMatchExpression(parseQuery('licitação merenda'), [['licltacao', 'licitacoes'], []])).toBe(
      '("licitacao" OR "licltacao" OR "licitacoes") AND "merenda"*',
    );
  });

  it('doubles quotes inside a string', () => {
    expect(ftsString(['a"b'])).toBe('"a""b"');
  });

  describe('against a real FTS5 table', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5 (text, tokenize = "unicode61 remove_diacritics 2", prefix = '2 3 4');
             INSERT INTO t (text) VALUES ('Alvará de licença para funcionamento'), ('Tomada de preços nº 12.345/1987'), ('near and or not');`);
    const match = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid').pluck();
    afterAll(() => db.close());

    it('finds what the words mean', () => {
      expect(match.all(ftsMatchExpression(parseQuery('ALVARA func')))).toEqual([1]);
      expect(match.all(ftsMatchExpression(parseQuery('"tomada de precos"')))).toEqual([2]);
      expect(match.all(ftsMatchExpression(parseQuery('12.345/19')))).toEqual([2]);
      expect(match.all(ftsMatchExpression(parseQuery('NEAR AND')))).toEqual([3]);
    });

    it('never builds an expression FTS5 rejects, whatever is typed', () => {
      // A fixed-seed generator over the characters FTS5 treats specially, plus letters.
      let seed = 12345;
      const next = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed;
      };
      const alphabet = ['"', '*', '(', ')', ':', '-', '+', '^', '{', '}', ',', ' ', ' ', 'AND', 'OR', 'NOT', 'NEAR', 'a', 'lv', 'ará', '1', "'", '\\', '\u0000', 'ç'];
      let parsed = 0;
      for (let i = 0; i < 2000; i += 1) {
        let text = '';
        const length = 1 + (next() % 12);
        for (let j = 0; j < length; j += 1) text += alphabet[next() % alphabet.length];
        let expression: string;
        try {
          expression = ftsMatchExpression(parseQuery(text));
        } catch (error) {
          expect(error, text).toMatchObject({ code: 'QUERY_INVALID' });
          continue;
        }
        parsed += 1;
        expect(() => match.all(expression), `${text} → ${expression}`).not.toThrow();
      }
      expect(parsed).toBeGreaterThan(1000);
    });
  });
});
