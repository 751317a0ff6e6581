/**
 * The search port. Every backend (embedded SQLite FTS5, Meilisearch) implements it and passes
 * the same contract suite (tests/contract/search-backend.contract.ts).
 *
 * The index holds one record per page, carrying its document's metadata, so a hit opens the
 * right page and long documents never hit a backend's per-field limits. The catalog is the
 * source of truth: an index can always be cleared and rebuilt from it.
 */

/** One page as the index stores it. */
export interface IndexedPage {
  documentId: number;
  /** 1-based. */
  pageNo: number;
  title: string;
  /** The original file, absolute path. */
  source: string;
  /** The searchable PDF, relative to the library folder. */
  pdf: string;
  collection: string | null;
  year: number | null;
  text: string;
}

/** A change to apply to the index. An upsert replaces every page of the document. */
export type IndexChange =
  | { op: 'upsert'; documentId: number; pages: IndexedPage[] }
  | { op: 'delete'; documentId: number };

export interface SearchFilters {
  /** Any of these collections (exact, case-sensitive as stored). */
  collections?: string[];
  yearFrom?: number;
  yearTo?: number;
}

export interface SearchQuery {
  /** What the user typed: words (all must match), "quoted phrases"; the last word also matches as a prefix. */
  text: string;
  limit: number;
  offset: number;
  filters?: SearchFilters;
}

export interface SearchHit {
  documentId: number;
  title: string;
  source: string;
  /** Relative to the library folder, as stored. */
  pdf: string;
  page: number;
  collection: string | null;
  year: number | null;
  /** A short extract around the matches: HTML-escaped text with matches wrapped in <mark>…</mark>. */
  snippet: string;
  /** Higher is better; comparable within one result only. */
  score: number;
}

export interface SearchResult {
  query: string;
  /** Matching pages in all (not only this result's slice). */
  total: number;
  hits: SearchHit[];
}

export interface IndexStats {
  documents: number;
  pages: number;
}

export interface SearchBackend {
  /** A short name for reports: 'embedded', 'meilisearch'. */
  readonly name: string;
  /** Apply changes in order; all or nothing per call where the backend allows it. */
  apply(changes: IndexChange[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Remove everything (before a rebuild from the catalog). */
  clear(): Promise<void>;
  stats(): Promise<IndexStats>;
  close(): Promise<void>;
}
