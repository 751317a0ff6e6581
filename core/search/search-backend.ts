/**
 * The search port. Every backend (the embedded index, Meilisearch) implements it and passes the
 * same contract suite (tests/contract/search-backend.contract.ts).
 *
 * The index holds one record per page, carrying its document's metadata, so a hit opens the
 * right page and long documents never hit a backend's per-field limits. The catalog is the
 * source of truth: an index can always be cleared and rebuilt from it.
 *
 * Where the backends differ by design (each pinned by its own tests, not the shared suite):
 * - totals: the embedded index counts every match (or says 'about' past its time budget);
 *   Meilisearch stops at maxTotalHits, 10,000 ('at-least', shown "more than"), and pages past it
 *   are empty;
 * - query length: Meilisearch takes at most 10 words and refuses more (QUERY_INVALID,
 *   too-many-words); the embedded index takes them all;
 * - name filters: Meilisearch compares them without case (`obras` finds `Obras`), the embedded
 *   index exactly; Meilisearch cannot express a name with a backslash before a quote or at its end
 *   and refuses it (core/search/meilisearch-filters.ts);
 * - facets: both keep the most frequent values, Meilisearch at most 500 per field;
 * - typos in numbers: none on either, except on Meilisearch 1.10–1.14 (meilisearch-versions.ts);
 * - document sets (`documentSet`): the embedded index tests the set's bits; Meilisearch lists up to
 *   10,000 ids, and past that filters by the set owner's rule of names with its short lists of ids
 *   (meilisearch-filters.ts), which holds the same documents as long as the owner's promise about
 *   the index holds (document-set.ts, DocumentRule), else lists every id.
 */

import type { DocumentSet } from './document-set.js';

/** One page as the index stores it. */
export interface IndexedPage {
  documentId: number;
  /** 1-based. */
  pageNo: number;
  /** As the index keeps it: personal numbers masked (core/privacy/index-privacy.ts). */
  title: string;
  /** The original file, absolute path. */
  source: string;
  /** The searchable PDF, relative to the library folder. */
  pdf: string;
  collection: string | null;
  year: number | null;
  /** 'alvara', 'decreto', …; null when unknown. */
  documentType: string | null;
  /** ISO YYYY-MM-DD; null when unknown. */
  date: string | null;
  /** 'pt', 'es', 'en'; null when unknown. */
  language: string | null;
  /** The document holds CPF/CNPJ numbers (LGPD). */
  personalData: boolean;
  /** Personal numbers masked, their digits never indexed (core/privacy/index-privacy.ts). */
  text: string;
  /** Searched, never shown: the identifiers on this page in the forms clerks type them ("processo 1873/1987 ; 1873/87 …"). */
  identifiers: string;
}

/** A change to apply to the index. An upsert replaces every page of the document. */
export type IndexChange =
  | { op: 'upsert'; documentId: number; pages: IndexedPage[] }
  | { op: 'delete'; documentId: number };

/** Every given filter must hold; an empty list filters nothing. */
export interface SearchFilters {
  /** Only pages of these documents (a document's own hits). */
  documentIds?: number[];
  /**
   * Only pages of the documents of this prepared set (core/search/document-set.ts): for a set of
   * any size, made once by its owner and reused by every search (the portal's public set), so a
   * search does no work that grows with it. Unlike `documentIds`, an empty set keeps nothing. With
   * `documentIds`, both must hold.
   */
  documentSet?: DocumentSet;
  /** Any of these collections (exact, case-sensitive as stored). */
  collections?: string[];
  /**
   * None of these collections (exact, as stored): restricted collections the user may not see
   * (core/access/policy.ts). Their pages count nowhere: not in hits, totals or facets.
   */
  excludeCollections?: string[];
  /** Any of these document types. */
  documentTypes?: string[];
  /** Any of these languages. */
  languages?: string[];
  yearFrom?: number;
  yearTo?: number;
  /** Only documents with (true) or without (false) personal data. */
  personalData?: boolean;
}

/** relevance (the default); by date, newest or oldest first (undated last); by title. */
export type SearchSort = 'relevance' | 'date-desc' | 'date-asc' | 'title';

export const FACET_FIELDS = ['collection', 'documentType', 'year', 'language', 'personalData'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/** Matching pages per value, most first (then by value); values are strings ('1987', 'true'). */
export type Facets = Record<FacetField, Array<{ value: string; count: number }>>;

export interface SearchQuery {
  /**
   * What the user typed: words (all must match), "quoted phrases", `a OR b`, `-excluded`; the last
   * word also matches as a prefix (see query-parser.ts).
   */
  text: string;
  limit: number;
  offset: number;
  filters?: SearchFilters;
  sort?: SearchSort;
  /** Also count the matching pages per value of each facet field (filters applied). */
  facets?: boolean;
  /**
   * How long the search may take, in milliseconds: past it, a backend that counts as it goes
   * returns what it ranked so far with estimated counts (`totalEstimate`). Default: the backend's.
   */
  budgetMs?: number;
  /**
   * Snippets from the page's text as written, personal numbers included, for a user who may see
   * them. Default (false): every personal number in a snippet is masked except one the user typed
   * whole. The index itself never holds a personal number's digits (core/privacy/index-privacy.ts),
   * so a backend that builds snippets from its own stored text (Meilisearch) always masks them.
   */
  showPersonalData?: boolean;
}

export interface SearchHit {
  documentId: number;
  /** As indexed: personal numbers masked (a caller that may show them reads the catalog's title). */
  title: string;
  source: string;
  /** Relative to the library folder, as stored. */
  pdf: string;
  page: number;
  collection: string | null;
  year: number | null;
  documentType: string | null;
  date: string | null;
  language: string | null;
  personalData: boolean;
  /** A short extract around the matches: HTML-escaped text with matches wrapped in <mark>…</mark>. */
  snippet: string;
  /** Higher is better; comparable within one result only. */
  score: number;
}

export interface SearchResult {
  query: string;
  /** Matching pages in all (not only this result's slice). */
  total: number;
  /**
   * Present when `total` (and the facet counts) are not exact: 'at-least' when counting stopped at
   * a cap (the total is a lower bound, shown "more than N"), 'about' when it was estimated from part
   * of the matches (a search that ran out of its time budget).
   */
  totalEstimate?: 'at-least' | 'about';
  hits: SearchHit[];
  /** When asked for. */
  facets?: Facets;
  /** Present when something typed was left out of the search (stray symbols, a word too long to be one), as typed. */
  ignored?: string[];
}

export interface IndexStats {
  documents: number;
  pages: number;
}

/** Whether the backend answers, and what it is. */
export interface BackendHealth {
  reachable: boolean;
  /** Where it is (a file, a URL). */
  location: string;
  version: string | null;
  /** Why it cannot be reached. */
  error: string | null;
}

export interface SearchBackend {
  /** A short name for reports: 'embedded', 'meilisearch'. */
  readonly name: string;
  /** Apply changes in order; all or nothing per call where the backend allows it. */
  apply(changes: IndexChange[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Remove everything. */
  clear(): Promise<void>;
  /**
   * Replace the whole index with the given changes (a rebuild from the catalog), so that searches
   * see the old index until the new one is complete.
   */
  rebuild(batches: AsyncIterable<IndexChange[]>): Promise<void>;
  stats(): Promise<IndexStats>;
  health(): Promise<BackendHealth>;
  close(): Promise<void>;
}
