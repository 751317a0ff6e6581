/**
 * The embedded search index, the default: an inverted index of Acervo's own in the library's
 * index/ folder — posting lists in segment files, and an SQLite file of words, page columns and
 * documents — so a fresh machine searches with `npm install` alone, and a million pages answer in
 * tens of milliseconds (`npm run bench` measures it).
 *
 * Why not SQLite FTS5, which this replaced: FTS5 ranks every match of a query with bm25() and
 * joins every match to its metadata for facets, row by row, so a word on most of a million pages
 * took seconds. Here a search reads each word's posting list once, ranks in one pass keeping only
 * the best pages, and counts facets from columns held in memory (index-snapshot.ts).
 *
 * Pages live in segments (segment-builder.ts, segment-merge.ts, segment-files.ts); writes go
 * through IndexWriter in SQLite transactions, so a reader in `acervo serve` sees an update whole
 * or not at all.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { AppError } from '../../errors.js';
import { SEARCH_INDEX_ROLE } from '../../sqlite/sqlite-errors.js';
import { Statements } from '../../sqlite/statements.js';
import { parseQuery, type ParsedQuery } from '../query-parser.js';
import { checkPaging } from '../search-results.js';
import {
  type BackendHealth,
  type Facets,
  type IndexStats,
  type SearchBackend,
  type SearchFilters,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from '../search-backend.js';
import { Vocabulary } from '../typo-expansion.js';
import { isDocumentSet } from '../document-set.js';
import { indexError, openIndexFile, SCHEMA_VERSION, textKey } from './index-file.js';
import type { FieldKind, FieldNames } from './field-names.js';
import { IndexSnapshot } from './index-snapshot.js';
import { readAt, SegmentFileMissing, SegmentFiles, segmentsFolder } from './segment-files.js';
import { IndexWriter } from './index-writer.js';
import { MemoryCache } from './blob-cache.js';
import { decodePages, type PageList } from './postings.js';
import { Planner, type QueryPlan } from './query-plan.js';
import { ResultCollector, type FacetCounts, type RankedPage } from './result-collector.js';
import { matchSegment, Scratch, type ScoredPages } from './segment-match.js';
import { makeSnippet, type Highlight } from './snippet.js';
import { scanWords } from '../text-folding.js';
import { findPersonalNumbers, maskPersonalNumbers } from '../../privacy/personal-numbers.js';

/** The index's commonest words (of its typo vocabulary: letters only, four or more), most pages first. */
export function commonestWords(file: string, count: number): string[] {
  const db = openIndexFile(file, { readonly: true });
  try {
    return db.prepare('SELECT term FROM vocabulary ORDER BY pages DESC LIMIT ?').pluck().all(count) as string[];
  } finally {
    db.close();
  }
}

/** Where snippets' page texts come from when the index does not keep them (the library's catalog). */
export interface PageTextSource {
  /** A page's text by document id and the page's number as indexed; null when it is gone. */
  pageText(documentId: number, pageNo: number): string | null;
  close(): void;
}

export interface EmbeddedIndexOptions {
  /** Searches only: a serve worker thread. Never creates or changes the file. */
  readonly?: boolean;
  /** Page texts for snippets; without one, the index keeps each page's text itself (compressed). */
  texts?: PageTextSource;
  /** A search's time budget when the query names none (ms). */
  budgetMs?: number;
  /** Memory for the posting lists searched last (MB). */
  cacheMB?: number;
  /** Threads a rebuild builds segments on (default: up to two, as the cores allow; 0: none). */
  buildThreads?: number;
  /** A rebuild of fewer pages than this is built without threads (default 20,000). */
  threadFromPages?: number;
}

const DEFAULT_BUDGET_MS = 2_000;
const DEFAULT_CACHE_MB = 192;
/** How often a reader checks that its file is still the library's (a rebuilt or replaced index is reopened). */
const FILE_CHECK_MS = 1_000;
const SORTS = new Set(['relevance', 'date-desc', 'date-asc', 'title']);

export function openEmbeddedIndex(file: string, options: EmbeddedIndexOptions = {}): SearchBackend {
  const index = new EmbeddedIndex(file, options);
  return {
    name: 'embedded',
    apply: async (changes) => index.guard('update', () => index.writer().apply(changes)),
    search: async (query) => index.search(query),
    clear: async () => index.guard('clear', () => index.writer().clear()),
    rebuild: async (batches) => {
      try {
        await index.writer().rebuild(batches);
      } catch (error) {
        throw indexError(error, file, 'rebuild');
      }
    },
    stats: async () => index.stats(),
    health: async () => index.health(),
    close: async () => index.close(),
  };
}

class EmbeddedIndex {
  private db: Database.Database | null;
  private inode: number;
  private checkedAt = Date.now();
  private snapshot = new IndexSnapshot();
  private planner: Planner;
  private vocabulary: Vocabulary;
  private readonly scratch = new Scratch();
  private readonly files: SegmentFiles;
  /** Lists read from segment files, and common words' lists decoded. */
  private cache: MemoryCache<Buffer>;
  private decoded: MemoryCache<PageList>;
  private matched: { generation: number; clauses: MemoryCache<ScoredPages> } | null = null;
  private prepared: Statements | null = null;
  private writing: IndexWriter | null = null;

  constructor(
    private readonly file: string,
    private readonly options: EmbeddedIndexOptions,
  ) {
    this.db = openIndexFile(file, { readonly: options.readonly });
    this.inode = statSync(file).ino;
    this.files = new SegmentFiles(segmentsFolder(file));
    [this.cache, this.decoded] = this.caches();
    try {
      this.vocabulary = new Vocabulary(this.db);
      this.planner = new Planner(this.db, this.vocabulary, this.cache);
    } catch (error) {
      // Preparing statements reads the whole schema: a damaged file may first show here.
      this.db.close();
      throw indexError(error, file, 'open');
    }
  }

  /**
   * The cache budget: half for lists as read (a few common words' positions, for phrases, are tens
   * of MB at a million pages), a quarter for common words' lists decoded, a quarter for matched clauses.
   */
  private caches(): [MemoryCache<Buffer>, MemoryCache<PageList>] {
    const budget = (this.options.cacheMB ?? DEFAULT_CACHE_MB) * 1024 * 1024;
    return [
      new MemoryCache<Buffer>(budget / 2, (blob) => blob.length, 4096),
      new MemoryCache<PageList>(budget / 4, (list) => list.pages.byteLength + list.weights.byteLength, 64 * 1024),
    ];
  }

  /**
   * Matched clauses, per segment: a segment's pages never change (deleted ones are left out later),
   * and their scores hold while the ranking statistics do (IndexSnapshot.statistics).
   */
  private clausesFor(generation: number): MemoryCache<ScoredPages> {
    if (this.matched?.generation !== generation) {
      const quarter = ((this.options.cacheMB ?? DEFAULT_CACHE_MB) * 1024 * 1024) / 4;
      this.matched = { generation, clauses: new MemoryCache<ScoredPages>(quarter, (found) => found.pages.byteLength + found.scores.byteLength + found.exact.byteLength, 256 * 1024) };
    }
    return this.matched.clauses;
  }

  writer(): IndexWriter {
    if (this.options.readonly) throw new AppError('INTERNAL', `The search index ${this.file} was opened for searching only.`);
    this.writing ??= new IndexWriter(this.open(), this.files, {
      storeTexts: this.options.texts === undefined,
      buildThreads: this.options.buildThreads ?? Math.min(2, availableParallelism()),
      ...(this.options.threadFromPages !== undefined ? { threadFromPages: this.options.threadFromPages } : {}),
    });
    return this.writing;
  }

  guard<T>(action: string, work: (db: Database.Database) => T): T {
    const db = this.open();
    try {
      return work(db);
    } catch (error) {
      if (error instanceof SegmentFileMissing) throw error;
      throw indexError(error, this.file, action);
    }
  }

  private open(): Database.Database {
    if (this.db === null) throw new AppError('INTERNAL', `The search index ${this.file} is closed.`);
    return this.db;
  }

  /** A reader follows the library's index file: if it was replaced (deleted, restored), the new one is opened. */
  private followFile(): void {
    if (Date.now() - this.checkedAt < FILE_CHECK_MS) return;
    this.checkedAt = Date.now();
    let inode: number;
    try {
      inode = statSync(this.file).ino;
    } catch {
      return;
    }
    if (inode === this.inode) return;
    this.db?.close();
    this.snapshot.close();
    this.db = openIndexFile(this.file, { readonly: this.options.readonly });
    this.inode = inode;
    this.snapshot = new IndexSnapshot();
    // Segment ids start again in a new file: nothing cached from the old one may be used.
    [this.cache, this.decoded] = this.caches();
    this.matched = null;
    this.vocabulary = new Vocabulary(this.db);
    this.planner = new Planner(this.db, this.vocabulary, this.cache);
    this.writing = null;
  }

  search(query: SearchQuery): SearchResult {
    checkPaging(query);
    if (query.sort !== undefined && !SORTS.has(query.sort)) {
      throw new AppError('QUERY_INVALID', `Results can be sorted by ${[...SORTS].join(', ')}; not by "${String(query.sort)}".`);
    }
    const filters = checkFilters(query.filters);
    const parsed = parseQuery(query.text);
    const deadline = performance.now() + (query.budgetMs ?? this.options.budgetMs ?? DEFAULT_BUDGET_MS);
    this.followFile();
    // One read transaction: the snapshot, the lists and the hits all see the same state while a writer works.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return this.guard('search', (db) => db.transaction(() => this.run(db, query, parsed, filters, deadline)).deferred());
      } catch (error) {
        // A merge committed and deleted a file of the state this search began in: the next state has its replacement.
        if (!(error instanceof SegmentFileMissing)) throw error;
        if (attempt >= 3) throw new AppError('LIBRARY_UNUSABLE', `The search index's segment file ${error.file} is missing. Run acervo reindex to rebuild the index from the catalog.`, { details: { file: error.file } });
      }
    }
  }

  private run(db: Database.Database, query: SearchQuery, parsed: ParsedQuery, filters: SearchFilters, deadline: number): SearchResult {
    const snapshot = this.snapshot;
    snapshot.refresh(db, this.files);
    const plan = this.planner.plan(parsed, snapshot.segments);
    const sort = query.sort ?? 'relevance';
    const titleRanks = sort === 'title' ? snapshot.titleRank(db) : null;
    const collector = new ResultCollector(snapshot.names, filters, sort, query.offset + query.limit, query.facets === true, (id) => titleRanks?.get(id) ?? Number.MAX_SAFE_INTEGER, deadline);
    for (const [index, segment] of snapshot.segments.entries()) {
      // However short the budget, the first segment gives some pages to show.
      if (index > 0 && collector.expired()) break;
      const found = matchSegment({
        segment,
        plan,
        livePages: snapshot.livePages,
        positions: (word) => {
          const lists = plan.lists.get(word)?.bySegment.get(segment.id);
          if (lists === undefined) return undefined;
          const whole = () => this.cache.get(segment.id, word, 'positions', () => readAt(segment.fd, lists.positionsAt, lists.positionsBytes)) as Buffer;
          return { fd: segment.fd, at: lists.positionsAt, bytes: lists.positionsBytes, whole };
        },
        scratch: this.scratch,
        decode: (word, blob) => this.decoded.get(segment.id, word, 'decoded', () => decodePages(blob)) as PageList,
        norms: snapshot.norms(segment),
        clauses: this.clausesFor(snapshot.statistics),
      });
      if (found.length > 0) collector.add(segment, found);
    }
    const ranked = collector.ranked().slice(query.offset, query.offset + query.limit);
    const highlight = highlightOf(plan, parsed);
    // The catalog's text holds personal numbers as written: masked unless the user may see them (or typed them whole).
    const shown = (text: string) => (query.showPersonalData === true || this.options.texts === undefined ? text : maskPersonalNumbers(text, { shown: parsed.personalNumbers }));
    const result: SearchResult = { query: query.text, total: collector.total, hits: ranked.map((page) => this.hit(db, page, highlight, shown, parsed.personalNumbers)).filter((hit) => hit !== null) };
    if (collector.cut) result.totalEstimate = 'about';
    else if (plan.truncated) result.totalEstimate = 'at-least';
    if (query.facets) result.facets = facetsOf(collector.facets as FacetCounts, snapshot.names);
    if (parsed.ignored.length > 0) result.ignored = parsed.ignored;
    return result;
  }

  private hit(db: Database.Database, page: RankedPage, highlight: Highlight, shown: (text: string) => string, typed: ReadonlySet<string>): SearchHit | null {
    const row = this.statement(db, 'SELECT title, source, pdf, collection, year, document_type, doc_date, language, personal_data FROM documents WHERE document_id = ?').get(page.documentId) as
      | { title: string; source: string; pdf: string; collection: string | null; year: number | null; document_type: string | null; doc_date: string | null; language: string | null; personal_data: number }
      | undefined;
    if (row === undefined) return null;
    const raw = this.pageText(db, page.documentId, page.pageNo) ?? '';
    const text = shown(raw);
    return {
      documentId: page.documentId,
      title: row.title,
      source: row.source,
      pdf: row.pdf,
      page: page.pageNo,
      collection: row.collection,
      year: row.year,
      documentType: row.document_type,
      date: row.doc_date,
      language: row.language,
      personalData: row.personal_data === 1,
      snippet: makeSnippet(text, typedNumbersMarked(raw, highlight, typed)),
      score: (page.tier === 0 ? 1 : 0) + page.score / (1 + page.score),
    };
  }

  /** Statements prepared once per open file. */
  private statement(db: Database.Database, sql: string): Database.Statement {
    if (this.prepared?.db !== db) this.prepared = new Statements(db, SEARCH_INDEX_ROLE);
    return this.prepared.get(sql);
  }

  private pageText(db: Database.Database, documentId: number, pageNo: number): string | null {
    if (this.options.texts) return this.options.texts.pageText(documentId, pageNo);
    const stored = this.statement(db, 'SELECT data FROM texts WHERE key = ?').pluck().get(textKey(documentId, pageNo)) as Buffer | undefined;
    return stored === undefined ? null : inflateRawSync(stored).toString('utf8');
  }

  stats(): IndexStats {
    return this.guard('read', (db) => {
      const documents = (db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
      const pages = (db.prepare('SELECT coalesce(sum(live), 0) AS n FROM segments').get() as { n: number }).n;
      return { documents, pages };
    });
  }

  health(): BackendHealth {
    return this.guard('read', (db) => {
      const { version } = db.prepare('SELECT sqlite_version() AS version').get() as { version: string };
      return { reachable: true, location: this.file, version: `Acervo index ${SCHEMA_VERSION}.0 (SQLite ${version})`, error: null };
    });
  }

  close(): void {
    const db = this.db;
    if (db === null) return;
    this.db = null;
    this.writing = null;
    this.snapshot.close();
    this.options.texts?.close();
    db.close();
  }
}

/** What a hit's snippet marks: every word that may have matched, phrases where they stand together. */
/**
 * A personal number typed whole is searched by its key, which no page's text holds: its words as
 * written on this page are marked as a phrase, so the snippet shows where it stands.
 */
function typedNumbersMarked(text: string, highlight: Highlight, typed: ReadonlySet<string>): Highlight {
  if (typed.size === 0) return highlight;
  const digits = new Set([...typed].map((key) => key.slice(key.indexOf(':') + 1)));
  const phrases = findPersonalNumbers(text)
    .filter((number) => digits.has(number.digits))
    .map((number) => {
      const words: Array<Set<string>> = [];
      scanWords(text.slice(number.index, number.index + number.length), (word) => words.push(new Set([word])));
      return words;
    })
    .filter((words) => words.length > 0);
  return phrases.length === 0 ? highlight : { ...highlight, phrases: [...highlight.phrases, ...phrases] };
}

function highlightOf(plan: QueryPlan, parsed: ParsedQuery): Highlight {
  const highlight: Highlight = { words: new Set(), prefixes: [], phrases: [] };
  for (const clause of plan.clauses) {
    if (clause.negated) continue;
    for (const term of clause.anyOf) {
      if (term.tokens.length === 1) for (const choice of term.tokens[0] ?? []) highlight.words.add(choice.word);
      else highlight.phrases.push(term.tokens.map((choices) => new Set(choices.map((c) => c.word))));
    }
  }
  if (plan.truncated) {
    for (const clause of parsed.clauses) for (const term of clause.anyOf) if (!clause.negated && term.prefix && term.tokens.length === 1) highlight.prefixes.push(term.tokens[0] as string);
  }
  return highlight;
}

function facetsOf(counts: FacetCounts, names: FieldNames): Facets {
  const list = (entries: Iterable<[string, number]>) =>
    [...entries].filter(([, count]) => count > 0).map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const named = (counts: Int32Array, kind: FieldKind) => list([...counts].map((count, code) => [names.name(kind, code), count]));
  return {
    collection: named(counts.collection, 'collection'),
    documentType: named(counts.documentType, 'type'),
    year: list([...counts.year].map(([year, count]) => [String(year), count])),
    language: named(counts.language, 'language'),
    personalData: list([['true', counts.personalData[1]], ['false', counts.personalData[0]]]),
  };
}

function checkFilters(filters: SearchFilters | undefined): SearchFilters {
  const found = filters ?? {};
  for (const key of ['yearFrom', 'yearTo'] as const) {
    const value = found[key];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new AppError('QUERY_INVALID', `The year filter ${key} must be a number, not ${String(value)}.`, { details: { [key]: value } });
    }
  }
  for (const key of ['collections', 'excludeCollections', 'documentTypes', 'languages'] as const) {
    const values = found[key];
    if (values !== undefined && !(Array.isArray(values) && values.every((name) => typeof name === 'string'))) {
      throw new AppError('QUERY_INVALID', `The ${key} filter must be a list of names (strings).`);
    }
  }
  if (found.documentIds !== undefined && !(Array.isArray(found.documentIds) && found.documentIds.every((id) => Number.isSafeInteger(id)))) {
    throw new AppError('QUERY_INVALID', 'The documentIds filter must be a list of whole numbers.');
  }
  if (found.documentSet !== undefined && !isDocumentSet(found.documentSet)) {
    throw new AppError('QUERY_INVALID', 'The documentSet filter must be a document set (core/search/document-set.ts).');
  }
  if (found.personalData !== undefined && typeof found.personalData !== 'boolean') {
    throw new AppError('QUERY_INVALID', 'The personalData filter must be true or false.');
  }
  return found;
}
