/** The Meilisearch backend's own logic, without a server: filters, settings, the key clerks search with. */
import { describe, expect, it } from 'vitest';
import { searchOnlyKey } from '../../core/search/meilisearch-keys.js';
import { filterExpression } from '../../core/search/meilisearch-filters.js';
import { INDEX_SETTINGS, settingsHold } from '../../core/search/meilisearch-settings.js';
import { meilisearchQueries } from '../../core/search/meilisearch-query.js';
import { settingsForVersion, supportedVersion } from '../../core/search/meilisearch-versions.js';
import { parseQuery } from '../../core/search/query-parser.js';

describe('Meilisearch filter expressions', () => {
  it('turns filters into clauses Meilisearch ANDs together', () => {
    expect(filterExpression({ collections: ['Obras', 'Saúde'], documentTypes: ['alvara'], yearFrom: 1980, yearTo: 1990, personalData: false })).toEqual([
      'collection IN ["Obras", "Saúde"]',
      'documentType IN ["alvara"]',
      'year >= 1980',
      'year <= 1990',
      'personalData = false',
    ]);
    expect(filterExpression({ collections: [], languages: [] })).toEqual([]);
  });

  it('quotes names so that nothing a user picks can change the expression', () => {
    // Quotes escaped; backslashes as written (Meilisearch's parser keeps them; meilisearch-recorded.test.ts).
    expect(filterExpression({ collections: ['Obras" OR collection = "x', 'a\\\\b'] })).toEqual(['collection IN ["Obras\\" OR collection = \\"x", "a\\\\b"]']);
  });

  it('refuses filters of the wrong kind with QUERY_INVALID', () => {
    expect(() => filterExpression({ yearFrom: Number.NaN })).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(() => filterExpression({ collections: 'Obras' as unknown as string[] })).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
    expect(() => filterExpression({ personalData: 'yes' as unknown as boolean })).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
  });
});

describe('Meilisearch index settings', () => {
  it('holds when the server returns them, attribute lists in any order and with its other settings', () => {
    const returned = {
      ...INDEX_SETTINGS,
      filterableAttributes: [...(INDEX_SETTINGS.filterableAttributes as string[])].sort(),
      displayedAttributes: ['*'],
      stopWords: [],
      typoTolerance: { ...INDEX_SETTINGS.typoTolerance, disableOnWords: [], disableOnAttributes: [] },
    };
    expect(settingsHold(returned, INDEX_SETTINGS)).toBe(true);
  });

  it('does not hold when a setting differs, or the ranking rules are in another order', () => {
    expect(settingsHold({ ...INDEX_SETTINGS, sortableAttributes: ['title'] }, INDEX_SETTINGS)).toBe(false);
    expect(settingsHold({ ...INDEX_SETTINGS, typoTolerance: { enabled: true } }, INDEX_SETTINGS)).toBe(false);
    expect(settingsHold({ ...INDEX_SETTINGS, rankingRules: ['words', 'sort', 'typo', 'proximity', 'attribute', 'exactness'] }, INDEX_SETTINGS)).toBe(false);
    expect(settingsHold({}, INDEX_SETTINGS)).toBe(false);
    // The server's default keeps the first 500 facet values alphabetically: the most frequent are wanted.
    expect(settingsHold({ ...INDEX_SETTINGS, faceting: { maxValuesPerFacet: 500, sortFacetValuesBy: { '*': 'alpha' } } }, INDEX_SETTINGS)).toBe(false);
  });
});

describe('the key clerks search with', () => {
  const key = (over: Partial<{ key: string; actions: string[]; indexes: string[]; expiresAt: string | null }>) => ({ key: 'k', actions: ['search'], indexes: ['*'], expiresAt: null, ...over });

  it('is a search-only key for this index or all, not expired', () => {
    const keys = [
      key({ key: 'master-like', actions: ['*'] }),
      key({ key: 'admin', actions: ['search', 'documents.add'] }),
      key({ key: 'other-index', indexes: ['outro'] }),
      key({ key: 'expired', expiresAt: '2020-01-01T00:00:00Z' }),
      key({ key: 'search', indexes: ['acervo'] }),
    ];
    expect(searchOnlyKey(keys as never, 'acervo', new Date('2026-12-01'))?.key).toBe('search');
    expect(searchOnlyKey(keys.slice(0, 4) as never, 'acervo', new Date('2026-12-01'))).toBeUndefined();
  });
});

describe('Meilisearch versions', () => {
  it('works with 1.10 and later, and refuses older servers naming the versions that work', () => {
    expect(supportedVersion('1.10.0', 'http://m:7700')).toEqual([1, 10, 0]);
    expect(supportedVersion('v1.19.2', 'http://m:7700')).toEqual([1, 19, 2]);
    expect(supportedVersion('2.0.0-rc.1', 'http://m:7700')).toEqual([2, 0, 0]);
    for (const old of ['1.9.3', '0.30.5', 'x']) {
      expect(() => supportedVersion(old, 'http://m:7700'), old).toThrow(expect.objectContaining({ code: 'SEARCH_BACKEND_UNSUPPORTED', message: expect.stringMatching(/Meilisearch 1\.10 or later/) }));
    }
  });

  it('sends each version only the settings it accepts: disableOnNumbers from 1.15 on', () => {
    for (const version of [[1, 10, 0], [1, 14, 9]] as const) {
      const settings = settingsForVersion(INDEX_SETTINGS, version);
      expect(settings.typoTolerance).not.toHaveProperty('disableOnNumbers');
      expect(settings.typoTolerance).toMatchObject({ enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } });
      expect(settings.searchableAttributes).toEqual(INDEX_SETTINGS.searchableAttributes);
    }
    for (const version of [[1, 15, 0], [1, 20, 1], [2, 0, 0]] as const) {
      expect(settingsForVersion(INDEX_SETTINGS, version).typoTolerance).toMatchObject({ disableOnNumbers: true });
    }
    // What was left out still counts as holding: the server never returns a field it does not have.
    expect(settingsHold({ ...INDEX_SETTINGS, typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } } }, settingsForVersion(INDEX_SETTINGS, [1, 12, 0]))).toBe(true);
  });
});

describe('Meilisearch queries', () => {
  it('refuses more than the 10 words Meilisearch takes, instead of silently searching for fewer', () => {
    expect(meilisearchQueries(parseQuery('um dois três quatro cinco seis sete oito nove dez'))).toHaveLength(1);
    expect(() => meilisearchQueries(parseQuery('um dois três quatro cinco seis sete oito nove dez onze'))).toThrow(
      expect.objectContaining({ code: 'QUERY_INVALID', details: expect.objectContaining({ reason: 'too-many-words', words: 11 }) }),
    );
    // A phrase's words and an exclusion count too.
    expect(() => meilisearchQueries(parseQuery('"um dois três quatro cinco seis" sete oito nove dez -onze'))).toThrow(expect.objectContaining({ code: 'QUERY_INVALID' }));
  });

  it('lets the identifier or open phrase being typed match as a prefix (1873/198 finds 1873/1987), as the embedded index does; others stay phrases', () => {
    expect(meilisearchQueries(parseQuery('processo 1873/198'))).toEqual(['processo 1873 198']);
    expect(meilisearchQueries(parseQuery('"alvará de constr'))).toEqual(['alvara de constr']);
    // Not the last thing typed, or a closed quote: an exact phrase.
    expect(meilisearchQueries(parseQuery('1873/1987 obras'))).toEqual(['"1873 1987" obras']);
    expect(meilisearchQueries(parseQuery('"alvará de construção"'))).toEqual(['"alvara de construcao"']);
  });
});
