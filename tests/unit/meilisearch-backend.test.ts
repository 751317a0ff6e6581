/** The Meilisearch backend's own logic, without a server: filters, settings, the key clerks search with. */
import { describe, expect, it } from 'vitest';
import { filterExpression, INDEX_SETTINGS, searchOnlyKey, settingsHold } from '../../core/search/meilisearch-backend.js';

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
    expect(filterExpression({ collections: ['Obras" OR collection = "x', 'a\\\\b'] })).toEqual(['collection IN ["Obras\\" OR collection = \\"x", "a\\\\\\\\b"]']);
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
