/**
 * The settings Acervo's Meilisearch index must have, and the test of whether an index has them.
 * Settings that IT may add for their archive (synonyms, stop words, a dictionary of words not to
 * split) are not Acervo's: they are left as they are, and a rebuilt index gets them too.
 */
import type { Settings } from 'meilisearch';

/**
 * The settings the index must have. `sort` comes first among the ranking rules so that asking for
 * an order by date or title gets that order (it does nothing when no sort is asked); numbers are
 * matched exactly (a typo in "1234/1987" is another process).
 */
export const INDEX_SETTINGS: Settings = {
  searchableAttributes: ['title', 'text', 'identifiers'],
  filterableAttributes: ['documentId', 'pageNo', 'collection', 'documentType', 'year', 'language', 'personalData'],
  sortableAttributes: ['date', 'title', 'year'],
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  typoTolerance: { enabled: true, disableOnNumbers: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  pagination: { maxTotalHits: 10_000 },
  // The 500 values kept per facet are the most frequent, as the embedded index counts them: by
  // default Meilisearch keeps the first 500 in alphabetical order. With `sortFacetValuesBy` count (1.3)
  // milli walks the values by count (search/facet/facet_distribution.rs, count_iterate_over_facet_distribution).
  faceting: { maxValuesPerFacet: 500, sortFacetValuesBy: { '*': 'count' } },
};

/** Settings an administrator may have set on the live index for their archive: a rebuilt index keeps them. */
export const ADMINISTRATORS_SETTINGS = ['synonyms', 'stopWords', 'dictionary', 'separatorTokens', 'nonSeparatorTokens'] as const;

/** What of `live` a rebuilt index must keep: the administrators' settings it holds. */
export function administratorsSettings(live: Settings): Settings {
  const kept: Record<string, unknown> = {};
  for (const key of ADMINISTRATORS_SETTINGS) if (live[key] !== undefined && live[key] !== null) kept[key] = live[key];
  return kept as Settings;
}

/** True when every setting Acervo needs already has the wanted value. */
export function settingsHold(current: Settings, wanted: Settings): boolean {
  const covers = (have: unknown, want: unknown): boolean => {
    if (Array.isArray(want)) {
      if (!Array.isArray(have)) return false;
      // Attribute lists are sets (Meilisearch may return them sorted); ranking rules are ordered.
      return want === wanted.rankingRules ? JSON.stringify(have) === JSON.stringify(want) : want.length === have.length && want.every((item) => have.some((h) => JSON.stringify(h) === JSON.stringify(item)));
    }
    if (want !== null && typeof want === 'object') {
      return have !== null && typeof have === 'object' && Object.entries(want).every(([key, value]) => covers((have as Record<string, unknown>)[key], value));
    }
    return have === want;
  };
  return covers(current, wanted);
}
