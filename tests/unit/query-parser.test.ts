import { describe, expect, it } from 'vitest';
import { MAX_QUERY_WORDS, parseQuery, type QueryClause } from '../../core/search/query-parser.js';
import { meilisearchQueries } from '../../core/search/meilisearch-query.js';
import { foldText, tokenize } from '../../core/search/text-folding.js';

describe('foldText / tokenize', () => {
  it('folds case, accents and character widths as the index does', () => {
    expect(foldText('Certidão ALVARÁ Licitação Niño Çedilha')).toBe('certidao alvara licitacao nino cedilha');
    expect(foldText('certida\u0303o')).toBe('certidao'); // decomposed input
    expect(tokenize('ｃｅｒｔｉｄａｏ ３９０')).toEqual(['certidao', '390']);
  });

  it('reads the digits of other scripts as digits', () => {
    expect(tokenize('١٩٨٧ ۱۹۸۷ १९८७')).toEqual(['1987', '1987', '1987']);
  });

  it('splits on anything but letters and digits, never at an invisible character', () => {
    expect(tokenize("Proc. 12.345/1987 — d'água, guarda-chuva!")).toEqual(['proc', '12', '345', '1987', 'd', 'agua', 'guarda', 'chuva']);
    expect(tokenize(' *()":^-+ ')).toEqual([]);
    expect(tokenize('li\u200Bci\u00ADta\u2060ção\uFEFF')).toEqual(['licitacao']);
  });

  it('leaves out runs of letters too long to be words', () => {
    expect(tokenize(`alvará ${'x'.repeat(65)} obra`)).toEqual(['alvara', 'obra']);
    expect(tokenize(`alvará ${'x'.repeat(64)}`)).toEqual(['alvara', 'x'.repeat(64)]);
  });
});

const words = (clauses: QueryClause[]) => clauses.map((clause) => `${clause.negated ? '-' : ''}${clause.anyOf.map((term) => term.tokens.join(' ')).join(' | ')}`);

describe('parseQuery', () => {
  it('turns bare words into fuzzy terms, the last one also a prefix', () => {
    expect(parseQuery('Alvará  licit').clauses).toEqual([
      { anyOf: [{ tokens: ['alvara'], prefix: false, fuzzy: true }], negated: false },
      { anyOf: [{ tokens: ['licit'], prefix: true, fuzzy: true }], negated: false },
    ]);
  });

  it('keeps quoted phrases literal: no typo expansion, no prefix once closed', () => {
    const [phrase, word] = parseQuery('"Tomada de Preços" merenda').clauses;
    expect(phrase!.anyOf).toEqual([{ tokens: ['tomada', 'de', 'precos'], prefix: false, fuzzy: false }]);
    expect(word!.anyOf).toEqual([{ tokens: ['merenda'], prefix: true, fuzzy: true }]);
    expect(parseQuery('"alvará"').clauses[0]!.anyOf).toEqual([{ tokens: ['alvara'], prefix: false, fuzzy: false }]);
  });

  it('treats an unclosed quote as a phrase still being typed', () => {
    expect(parseQuery('"licença de func').clauses[0]!.anyOf).toEqual([{ tokens: ['licenca', 'de', 'func'], prefix: true, fuzzy: false }]);
  });

  it('keeps the parts of one typed identifier together as a phrase, and splits at other symbols', () => {
    expect(parseQuery('12.345/19').clauses[0]!.anyOf).toEqual([{ tokens: ['12', '345', '19'], prefix: true, fuzzy: false }]);
    expect(words(parseQuery('guarda-chuva alvará').clauses)).toEqual(['guarda chuva', 'alvara']);
    expect(words(parseQuery('title:obra (alvará) x*y').clauses)).toEqual(['title', 'obra', 'alvara', 'x', 'y']);
  });

  it('excludes a -word and a -"phrase", never as a prefix or with typos', () => {
    const { clauses } = parseQuery('alvará -cancelado -"de ofício"');
    expect(words(clauses)).toEqual(['alvara', '-cancelado', '-de oficio']);
    expect(clauses[1]!.anyOf[0]).toEqual({ tokens: ['cancelado'], prefix: false, fuzzy: false });
    // A hyphen inside a word is part of it; after a space before nothing, it is left out.
    expect(words(parseQuery('guarda-chuva - obra').clauses)).toEqual(['guarda chuva', 'obra']);
  });

  it('joins the words around OR (or OU) into one clause, closer than the words beside them', () => {
    expect(words(parseQuery('alvará licença OR autorização obra').clauses)).toEqual(['alvara', 'licenca | autorizacao', 'obra']);
    expect(words(parseQuery('a OU b OR c').clauses)).toEqual(['a | b | c']);
    expect(words(parseQuery('"tomada de preços" OR convite').clauses)).toEqual(['tomada de precos | convite']);
    // Lower-case "or" and "ou" are words; OR at an edge or beside an exclusion is left out and said.
    expect(words(parseQuery('pedido ou recurso').clauses)).toEqual(['pedido', 'ou', 'recurso']);
    const dangling = parseQuery('OR alvará OR');
    expect(words(dangling.clauses)).toEqual(['alvara']);
    expect(dangling.ignored).toEqual(['OR']);
    expect(words(parseQuery('alvará OR -obra').clauses)).toEqual(['alvara', '-obra']);
    // Typed alone, an operator is the word it spells.
    expect(words(parseQuery('OR').clauses)).toEqual(['or']);
  });

  it('names what it leaves out: symbols, brackets, emoji, words too long to be words', () => {
    const parsed = parseQuery(`alvará ^ * 😀 (obra) ${'z'.repeat(5000)}`);
    expect(words(parsed.clauses)).toEqual(['alvara', 'obra']);
    expect(parsed.ignored).toEqual(expect.arrayContaining(['^', '*', '😀', '(', ')']));
    expect(parsed.ignored.find((item) => item.includes('5000 characters'))).toBeDefined();
    // Ordinary punctuation is not worth a word.
    expect(parseQuery('alvará, obra; decreto.').ignored).toEqual([]);
  });

  it('never splits a word at an invisible character', () => {
    expect(words(parseQuery('li\u200Bcitação').clauses)).toEqual(['licitacao']);
  });

  it('costs a repeated word once, and drops a prefix another word already spells', () => {
    expect(parseQuery(Array.from({ length: 30 }, () => 'municipal').join(' ')).clauses).toHaveLength(1);
    expect(words(parseQuery('alvará alv').clauses)).toEqual(['alvara']);
    expect(words(parseQuery('alv alvará').clauses)).toEqual(['alv', 'alvara']);
    expect(words(parseQuery('alvará -alvará').clauses)).toEqual(['alvara', '-alvara']);
  });

  it('does not make a one-letter last word a prefix', () => {
    expect(parseQuery('alvará a').clauses[1]!.anyOf[0]).toEqual({ tokens: ['a'], prefix: false, fuzzy: true });
  });

  it('rejects queries with nothing to look for with QUERY_INVALID: blank, only symbols, only exclusions', () => {
    for (const text of ['', '   ', '\n\t', '"', '""', '" "', '*', '()', '-', ':^+', '😀', '-alvará', '-alvará -obra']) {
      expect(() => parseQuery(text), JSON.stringify(text)).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
    }
    expect(() => parseQuery('')).toThrow(/type at least one word/);
    expect(() => parseQuery('-alvará')).toThrow(/only leaves pages out/);
  });

  it('rejects queries with more words than a search needs', () => {
    const many = (count: number) => Array.from({ length: count }, (_, i) => `palavra${i}`).join(' ');
    expect(parseQuery(many(MAX_QUERY_WORDS)).clauses).toHaveLength(MAX_QUERY_WORDS);
    expect(() => parseQuery(many(MAX_QUERY_WORDS + 1))).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
  });

  it('whatever is typed, answers with a search of words or QUERY_INVALID, never anything else', () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = ['"', '*', '(', ')', ':', '-', '+', '^', '{', '}', ',', ' ', ' ', 'AND', 'OR', 'OU', 'NOT', 'a', 'lv', 'ará', '1', "'", '\\', '\u0000', 'ç', '\u200B', '😀', '/', '.'];
    let parsed = 0;
    for (let i = 0; i < 3000; i += 1) {
      let text = '';
      const length = 1 + (next() % 12);
      for (let j = 0; j < length; j += 1) text += alphabet[next() % alphabet.length];
      try {
        const query = parseQuery(text);
        parsed += 1;
        expect(query.clauses.some((clause) => !clause.negated), text).toBe(true);
        for (const clause of query.clauses) for (const term of clause.anyOf) expect(term.tokens.every((token) => /^[\p{L}\p{N}\p{Co}]+$/u.test(token)), text).toBe(true);
        // What Meilisearch gets holds nothing but words, quotes around phrases and a leading minus.
        for (const q of meilisearchQueries(query)) expect(q, text).toMatch(/^(-?("[\p{L}\p{N}\p{Co} ]+"|[\p{L}\p{N}\p{Co}]+)( |$))+$/u);
      } catch (error) {
        expect(error, text).toMatchObject({ code: 'QUERY_INVALID' });
      }
    }
    expect(parsed).toBeGreaterThan(1500);
  });
});

describe('meilisearchQueries', () => {
  it('writes words bare, phrases quoted, exclusions first with a minus, and one query per OR choice', () => {
    expect(meilisearchQueries(parseQuery('alvará "tomada de preços" -cancelado licit'))).toEqual(['-cancelado alvara "tomada de precos" licit']);
    expect(meilisearchQueries(parseQuery('alvará OR licença obra'))).toEqual(['alvara obra', 'licenca obra']);
    expect(meilisearchQueries(parseQuery('a OR b c OR d'))).toEqual(['a c', 'a d', 'b c', 'b d']);
  });

  it('refuses more OR combinations than a search should fan out to', () => {
    expect(() => meilisearchQueries(parseQuery('a OR b c OR d e OR f g OR h i OR j'))).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
  });
});
