/**
 * The embedded search index, the default: SQLite FTS5 in one file next to the library, so a
 * fresh machine searches with `npm install` alone.
 *
 * One row per page in `pages` (the content), an external-content FTS5 table over its title and
 * text (accent-folding tokenizer, prefix indexes), and a vocabulary for typo tolerance. All work
 * is synchronous inside (better-sqlite3); the port's async methods wrap it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, isAppError } from '../errors.js';
import { ftsMatchExpression, parseQuery, type QueryTerm } from './query-parser.js';
import { checkPaging, MARK_CLOSE, MARK_OPEN, snippetHtml, storedText } from './search-results.js';
import {
  FACET_FIELDS,
  type BackendHealth,
  type FacetField,
  type Facets,
  type IndexChange,
  type IndexedPage,
  type IndexStats,
  type SearchBackend,
  type SearchFilters,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from './search-backend.js';
import { countTerms, expandWord, Vocabulary, VOCABULARY_SCHEMA, type VocabularyDelta } from './typo-expansion.js';

const SCHEMA_VERSION = 3;
/** 'ACVS' in the file header: tells our index apart from any other SQLite file (the catalog, say). */
const APPLICATION_ID = 0x41435653;

/**
 * Filters, facets and sorting run on the pages a MATCH found, looked up by id: this index answers
 * them without reading the wide rows that hold the text (half the time of a filtered search at
 * 100k pages).
 */
const FILTER_INDEX = 'CREATE INDEX pages_filters ON pages (id, collection, year, document_type, language, personal_data, doc_date);';

/** Title, text, and the identifiers in the forms clerks type them (searched, never shown). */
const FTS_TABLE = `CREATE VIRTUAL TABLE pages_fts USING fts5 (
    title, text, identifiers,
    content = 'pages', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3 4'
  );`;

/** Each migration takes the schema from version i+1 to i+2. */
const MIGRATIONS: readonly string[] = [
  // 2: document type, date, language and personal data, filterable, faceted and sortable.
  `ALTER TABLE pages ADD COLUMN document_type TEXT;
   ALTER TABLE pages ADD COLUMN doc_date TEXT;
   ALTER TABLE pages ADD COLUMN language TEXT;
   ALTER TABLE pages ADD COLUMN personal_data INTEGER NOT NULL DEFAULT 0;
   DROP INDEX pages_filters;
   ${FILTER_INDEX}`,
  // 3: identifiers, searchable; the full-text index rebuilt from the pages with the new column.
  `ALTER TABLE pages ADD COLUMN identifiers TEXT NOT NULL DEFAULT '';
   DROP TABLE pages_fts;
   ${FTS_TABLE}
   INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');`,
];

const SCHEMA = `
  CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL,
    page_no INTEGER NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    pdf TEXT NOT NULL,
    collection TEXT,
    year INTEGER,
    text TEXT NOT NULL,
    document_type TEXT,
    doc_date TEXT,
    language TEXT,
    personal_data INTEGER NOT NULL DEFAULT 0,
    identifiers TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX pages_by_document ON pages (document_id, page_no);
  ${FILTER_INDEX}
  ${FTS_TABLE}
  ${VOCABULARY_SCHEMA}
`;

/** Title words weigh more than body words: a title says what the whole document is. */
const BM25 = 'bm25(pages_fts, 2.0, 1.0, 2.0)';
const SNIPPET_TOKENS = 16;

export function openSqliteFtsBackend(file: string): SearchBackend {
  const db = openDatabase(file);
  let index: SqliteFtsIndex;
  try {
    index = new SqliteFtsIndex(db, file);
  } catch (error) {
    // Preparing statements reads the whole schema: a damaged file may first show here.
    db.close();
    throw libraryError(error, file, 'open');
  }
  return {
    name: 'embedded',
    apply: async (changes) => index.apply(changes),
    search: async (query) => index.search(query),
    clear: async () => index.clear(),
    rebuild: (batches) => index.rebuild(batches),
    stats: async () => index.stats(),
    health: async () => index.health(),
    close: async () => index.close(),
  };
}

function openDatabase(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: 5000 });
    // Schema first: switching to WAL writes the file header, and a file that is not ours stays untouched.
    ensureSchema(db, file);
    // WAL lets `acervo serve` read while a worker writes; NORMAL sync is enough for an index the catalog can rebuild.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -32000');
    return db;
  } catch (error) {
    db?.close();
    throw libraryError(error, file, 'open');
  }
}

function ensureSchema(db: Database.Database, file: string): void {
  const read = () => ({
    app: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
  });
  let found = read();
  if (found.app === 0 && found.version === 0) {
    // IMMEDIATE, then look again: two processes opening a new library must not both create it.
    db.transaction(() => {
      found = read();
      if (found.app !== 0 || found.version !== 0) return;
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
      if (tables.n > 0) throw notOurs(file);
      db.exec(SCHEMA);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      found = read();
    }).immediate();
  }
  if (found.app !== APPLICATION_ID) throw notOurs(file);
  if (found.version >= 1 && found.version < SCHEMA_VERSION) {
    // An index from an older Acervo: brought up to date (pages indexed before keep working; `acervo reindex` fills the new fields).
    db.transaction(() => {
      for (let v = db.pragma('user_version', { simple: true }) as number; v < SCHEMA_VERSION; v++) {
        db.exec(MIGRATIONS[v - 1]!);
        db.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
    found = read();
  }
  if (found.version !== SCHEMA_VERSION) {
    throw new AppError(
      'LIBRARY_UNUSABLE',
      `The search index ${file} has schema version ${found.version}; this Acervo reads version ${SCHEMA_VERSION}. ` +
        'Use the matching Acervo version, or delete the index file and rebuild it from the catalog.',
      { details: { file, version: found.version, expected: SCHEMA_VERSION } },
    );
  }
}

function notOurs(file: string): AppError {
  return new AppError(
    'LIBRARY_UNUSABLE',
    `${file} is an SQLite database but not an Acervo search index. Check the library path, or move that file away.`,
    { details: { file } },
  );
}

/** Failures as AppErrors: a damaged or unreachable file makes the library unusable; anything else is a bug. */
function libraryError(error: unknown, file: string, action: string): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Database.SqliteError) {
    const details = { file, sqlite: error.code };
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(error.code)) {
      return new AppError('LIBRARY_UNUSABLE', `The search index ${file} is damaged (${message}). Delete it and rebuild it from the catalog.`, {
        cause: error,
        details,
      });
    }
    if (/^SQLITE_(BUSY|LOCKED)/.test(error.code)) {
      return new AppError('LIBRARY_UNUSABLE', `The search index ${file} stayed locked by another process (${message}). Try again.`, {
        cause: error,
        details,
      });
    }
    if (/^SQLITE_(CANTOPEN|IOERR|FULL|READONLY|PERM|AUTH)/.test(error.code)) {
      return new AppError('LIBRARY_UNUSABLE', `Cannot ${action} the search index ${file}: ${message}. Check the path, its permissions and free space.`, {
        cause: error,
        details,
      });
    }
    return new AppError('INTERNAL', `Search index ${action} failed: ${message}`, { cause: error, details });
  }
  if (error instanceof Error && 'syscall' in error) {
    // The file system refused (creating the folder, permissions).
    return new AppError('LIBRARY_UNUSABLE', `Cannot ${action} the search index ${file}: ${message}. Check the path and its permissions.`, {
      cause: error,
      details: { file },
    });
  }
  return new AppError('INTERNAL', `Search index ${action} failed: ${message}`, { cause: error, details: { file } });
}

interface StoredPage {
  id: number;
  title: string;
  text: string;
  identifiers: string;
}

interface RankedRow {
  id: number;
  tier: 0 | 1;
  rank: number;
  total: number;
}

interface HitRow {
  document_id: number;
  page_no: number;
  title: string;
  source: string;
  pdf: string;
  collection: string | null;
  year: number | null;
  document_type: string | null;
  doc_date: string | null;
  language: string | null;
  personal_data: number;
  snippet: string | null;
}

/** Facet fields and the columns that hold them. */
const FACET_COLUMNS: Record<FacetField, string> = {
  collection: 'p.collection',
  documentType: 'p.document_type',
  year: 'p.year',
  language: 'p.language',
  personalData: 'p.personal_data',
};

class SqliteFtsIndex {
  private db: Database.Database | null;
  private readonly vocabulary: Vocabulary;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.db = db;
    this.vocabulary = new Vocabulary(db);
  }

  apply(changes: IndexChange[]): void {
    this.guard('update', (db) => db.transaction(() => this.applyInTransaction(changes)).immediate());
  }

  private applyInTransaction(changes: IndexChange[]): void {
    const delta: VocabularyDelta = new Map();
    for (const change of changes) {
      this.removeDocument(change.documentId, delta);
      if (change.op === 'upsert') {
        for (const page of change.pages) this.insertPage(change.documentId, page, delta);
      } else if (change.op !== 'delete') {
        throw new AppError('INTERNAL', `Unknown index change "${(change as { op: unknown }).op}".`);
      }
    }
    this.vocabulary.apply(delta);
  }

  /**
   * One write transaction around the whole rebuild, held open while the batches arrive: other
   * connections (a search page) keep reading the old index until the commit.
   */
  async rebuild(batches: AsyncIterable<IndexChange[]>): Promise<void> {
    const db = this.open();
    this.guard('rebuild', () => db.exec('BEGIN IMMEDIATE'));
    try {
      this.guard('rebuild', () => this.clearInTransaction(db));
      for await (const changes of batches) this.guard('rebuild', () => this.applyInTransaction(changes));
      this.guard('rebuild', () => db.exec('COMMIT'));
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  health(): BackendHealth {
    return this.guard('read', () => {
      const { version } = this.statement('SELECT sqlite_version() AS version').get() as { version: string };
      return { reachable: true, location: this.file, version: `SQLite ${version} (FTS5)`, error: null };
    });
  }

  search(query: SearchQuery): SearchResult {
    checkPaging(query);
    if (query.sort !== undefined && !(query.sort in SORT_ORDER)) {
      throw new AppError('QUERY_INVALID', `Results can be sorted by ${Object.keys(SORT_ORDER).join(', ')}; not by "${String(query.sort)}".`);
    }
    const filters = checkFilters(query.filters);
    const terms = parseQuery(query.text);
    // One read transaction: ranking, total and snippets all see the same snapshot while a worker writes.
    return this.guard('search', (db) => db.transaction(() => this.run(query, terms, filters)).deferred());
  }

  /** The search itself, inside the read transaction. */
  private run(query: SearchQuery, terms: QueryTerm[], filters: SearchFilters): SearchResult {
    const alternatives = terms.map((term) =>
      term.fuzzy ? expandWord(term.tokens[0] as string, this.vocabulary, { prefix: term.prefix }) : [],
    );
    const exact = ftsMatchExpression(terms);
    const expanded = alternatives.some((words) => words.length > 0) ? ftsMatchExpression(terms, alternatives) : null;
    const where = filterSql(filters);
    const params = {
      exact,
      // FTS5 leaves out the exact matches itself, so bm25 is computed once per page, not twice.
      ...(expanded === null ? {} : { typosOnly: `(${expanded}) NOT (${exact})` }),
      ...where.params,
    };

    const rows =
      query.limit > 0
        ? (this.statement(rankedSql(expanded !== null, where.sql, query.sort ?? 'relevance')).all({ ...params, limit: query.limit, offset: query.offset }) as RankedRow[])
        : [];
    const total =
      rows[0]?.total ?? ((this.statement(countSql(expanded !== null, where.sql)).get(params) as { total: number }).total);

    const fetch = this.statement(HIT_SQL);
    const hits: SearchHit[] = [];
    for (const row of rows) {
      // Highlight through the expanded expression too, so a typo match is marked where it was found.
      const found = fetch.get({ match: expanded ?? exact, id: row.id }) as HitRow | undefined;
      if (found === undefined) continue;
      hits.push({
        documentId: found.document_id,
        title: found.title,
        source: found.source,
        pdf: found.pdf,
        page: found.page_no,
        collection: found.collection,
        year: found.year,
        documentType: found.document_type,
        date: found.doc_date,
        language: found.language,
        personalData: found.personal_data === 1,
        snippet: snippetHtml(found.snippet ?? ''),
        score: score(row.tier, row.rank),
      });
    }
    if (!query.facets) return { query: query.text, total, hits };
    return { query: query.text, total, hits, facets: this.facets(expanded !== null, where.sql, params) };
  }

  /** Matching pages per value of each facet field; pages without a value are not counted. */
  private facets(tiered: boolean, filters: string, params: Record<string, unknown>): Facets {
    const facets = {} as Facets;
    for (const field of FACET_FIELDS) {
      const rows = this.statement(facetSql(tiered, filters, FACET_COLUMNS[field])).all(params) as Array<{ value: string | number; count: number }>;
      facets[field] = rows.map((row) => ({ value: field === 'personalData' ? String(row.value === 1) : String(row.value), count: row.count }));
    }
    return facets;
  }

  clear(): void {
    this.guard('clear', (db) => db.transaction(() => this.clearInTransaction(db)).immediate());
  }

  private clearInTransaction(db: Database.Database): void {
    db.prepare("INSERT INTO pages_fts (pages_fts) VALUES ('delete-all')").run();
    db.prepare('DELETE FROM pages').run();
    this.vocabulary.clear();
  }

  stats(): IndexStats {
    return this.guard('read', () => {
      const row = this.statement('SELECT count(DISTINCT document_id) AS documents, count(*) AS pages FROM pages').get() as IndexStats;
      return { documents: row.documents, pages: row.pages };
    });
  }

  close(): void {
    const db = this.db;
    if (db === null) return;
    this.db = null;
    this.statements.clear();
    try {
      db.pragma('optimize');
    } catch {
      // Best effort: planner statistics must not keep a damaged or busy index from closing.
    }
    db.close();
  }

  private removeDocument(documentId: number, delta: VocabularyDelta): void {
    const old = this.statement('SELECT id, title, text, identifiers FROM pages WHERE document_id = ?').all(documentId) as StoredPage[];
    if (old.length === 0) return;
    // External content: FTS5 forgets a row only when given the exact values it indexed.
    const forget = this.statement("INSERT INTO pages_fts (pages_fts, rowid, title, text, identifiers) VALUES ('delete', ?, ?, ?, ?)");
    for (const page of old) {
      forget.run(page.id, page.title, page.text, page.identifiers);
      countTerms(delta, `${page.title}\n${page.text}`, -1);
    }
    this.statement('DELETE FROM pages WHERE document_id = ?').run(documentId);
  }

  private insertPage(documentId: number, page: IndexedPage, delta: VocabularyDelta): void {
    if (page.documentId !== documentId) {
      throw new AppError('INTERNAL', `A page of document ${page.documentId} was given in the update of document ${documentId}.`, {
        details: { documentId, pageDocumentId: page.documentId, pageNo: page.pageNo },
      });
    }
    const title = storedText(page.title);
    const text = storedText(page.text);
    const identifiers = storedText(page.identifiers ?? '');
    const info = this.statement(
      `INSERT INTO pages (document_id, page_no, title, source, pdf, collection, year, text, document_type, doc_date, language, personal_data, identifiers)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(documentId, page.pageNo, title, page.source, page.pdf, page.collection, page.year, text, page.documentType, page.date, page.language, page.personalData ? 1 : 0, identifiers);
    this.statement('INSERT INTO pages_fts (rowid, title, text, identifiers) VALUES (?, ?, ?, ?)').run(info.lastInsertRowid, title, text, identifiers);
    countTerms(delta, `${title}\n${text}`, 1);
  }

  private statement(sql: string): Database.Statement {
    let found = this.statements.get(sql);
    if (found === undefined) {
      found = this.open().prepare(sql);
      this.statements.set(sql, found);
    }
    return found;
  }

  private open(): Database.Database {
    if (this.db === null) throw new AppError('INTERNAL', `The search index ${this.file} is closed.`);
    return this.db;
  }

  private guard<T>(action: string, work: (db: Database.Database) => T): T {
    const db = this.open();
    try {
      return work(db);
    } catch (error) {
      if (error instanceof Database.SqliteError && /fts5: syntax error/.test(error.message)) {
        // Terms are always quoted, so this means a bug here; still, the user's query is what failed.
        throw new AppError('QUERY_INVALID', `The search could not be understood: ${error.message}`, { cause: error });
      }
      throw libraryError(error, this.file, action);
    }
  }
}

function checkFilters(filters: SearchFilters | undefined): SearchFilters {
  const found = filters ?? {};
  for (const key of ['yearFrom', 'yearTo'] as const) {
    const value = found[key];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new AppError('QUERY_INVALID', `The year filter ${key} must be a number, not ${String(value)}.`, { details: { [key]: value } });
    }
  }
  for (const key of ['collections', 'documentTypes', 'languages'] as const) {
    const values = found[key];
    if (values !== undefined && !(Array.isArray(values) && values.every((name) => typeof name === 'string'))) {
      throw new AppError('QUERY_INVALID', `The ${key} filter must be a list of names (strings).`);
    }
  }
  if (found.documentIds !== undefined && !(Array.isArray(found.documentIds) && found.documentIds.every((id) => Number.isSafeInteger(id)))) {
    throw new AppError('QUERY_INVALID', 'The documentIds filter must be a list of whole numbers.');
  }
  if (found.personalData !== undefined && typeof found.personalData !== 'boolean') {
    throw new AppError('QUERY_INVALID', 'The personalData filter must be true or false.');
  }
  return found;
}

/** Filters as SQL over `p` (pages). An empty collection list means no collection filter. */
function filterSql(filters: SearchFilters): { sql: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  // One JSON parameter keeps one statement shape (and one cached statement) for any number of names.
  for (const [key, column] of [['documentIds', 'p.document_id'], ['collections', 'p.collection'], ['documentTypes', 'p.document_type'], ['languages', 'p.language']] as const) {
    const values = filters[key];
    if (values !== undefined && values.length > 0) {
      clauses.push(`${column} IN (SELECT value FROM json_each(:${key}))`);
      params[key] = JSON.stringify(values);
    }
  }
  if (filters.personalData !== undefined) {
    clauses.push('p.personal_data = :personalData');
    params.personalData = filters.personalData ? 1 : 0;
  }
  if (filters.yearFrom !== undefined) {
    clauses.push('p.year >= :yearFrom');
    params.yearFrom = filters.yearFrom;
  }
  if (filters.yearTo !== undefined) {
    clauses.push('p.year <= :yearTo');
    params.yearTo = filters.yearTo;
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * Matching pages with their tier and bm25. MATCH runs first, MATERIALIZED: joined directly to
 * filters, the planner may drive from a metadata index and re-run MATCH per row (seconds).
 * Tier 0 matches the words as typed (bm25 of that query); tier 1 only through typo expansions.
 */
function matchesSql(tiered: boolean, filters: string, join = false): { ctes: string; from: string } {
  const exact = `SELECT rowid AS id, ${BM25} AS rank FROM pages_fts WHERE pages_fts MATCH :exact`;
  const ctes = tiered
    ? `WITH e AS MATERIALIZED (${exact}),
       t AS MATERIALIZED (SELECT rowid AS id, ${BM25} AS rank FROM pages_fts WHERE pages_fts MATCH :typosOnly),
       m AS (SELECT id, 0 AS tier, rank FROM e UNION ALL SELECT id, 1 AS tier, rank FROM t)`
    : `WITH m AS MATERIALIZED (SELECT id, 0 AS tier, rank FROM (${exact}))`;
  // The planner prefers the table's own rowid lookup, so the covering index is named.
  const joined = filters !== '' || join;
  const from = joined ? `FROM m JOIN pages p INDEXED BY pages_filters ON p.id = m.id${filters === '' ? '' : ` WHERE ${filters}`}` : 'FROM m';
  return { ctes, from };
}

const SORT_ORDER: Record<NonNullable<SearchQuery['sort']>, string> = {
  relevance: 'm.tier, m.rank, m.id',
  'date-desc': 'p.doc_date IS NULL, p.doc_date DESC, m.tier, m.rank, m.id',
  'date-asc': 'p.doc_date IS NULL, p.doc_date ASC, m.tier, m.rank, m.id',
  title: 'p.title COLLATE NOCASE, m.tier, m.rank, m.id',
};

/** One slice in the asked order; ties broken by rank, then row id, so paging never repeats or skips a page. */
function rankedSql(tiered: boolean, filters: string, sort: NonNullable<SearchQuery['sort']>): string {
  const { ctes, from } = matchesSql(tiered, filters, sort !== 'relevance');
  return `${ctes} SELECT m.id, m.tier, m.rank, count(*) OVER () AS total ${from} ORDER BY ${SORT_ORDER[sort]} LIMIT :limit OFFSET :offset`;
}

function facetSql(tiered: boolean, filters: string, column: string): string {
  const { ctes, from } = matchesSql(tiered, filters, true);
  const where = filters === '' ? `WHERE ${column} IS NOT NULL` : `AND ${column} IS NOT NULL`;
  return `${ctes} SELECT ${column} AS value, count(*) AS count ${from} ${where} GROUP BY ${column} ORDER BY count DESC, value`;
}

/** The total alone, for slices past the end (the ranked query then returns no row to carry it). */
function countSql(tiered: boolean, filters: string): string {
  const { ctes, from } = matchesSql(tiered, filters);
  return `${ctes} SELECT count(*) AS total ${from}`;
}

// better-sqlite3 binds JS numbers as REAL, and FTS5 silently ignores a rowid equality that is
// not an INTEGER (every matching row comes back): hence the CAST.
const HIT_SQL = `
  SELECT p.document_id, p.page_no, p.title, p.source, p.pdf, p.collection, p.year, p.document_type, p.doc_date, p.language, p.personal_data,
         snippet(pages_fts, 1, '${MARK_OPEN}', '${MARK_CLOSE}', '…', ${SNIPPET_TOKENS}) AS snippet
  FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid
  WHERE pages_fts MATCH :match AND pages_fts.rowid = CAST(:id AS INTEGER)`;

/** Higher is better: each tier maps -bm25 into its own band, so every exact hit outscores every typo-only hit. */
function score(tier: 0 | 1, rank: number): number {
  const relevance = Math.max(0, -rank);
  const unit = Number.isFinite(relevance) ? relevance / (1 + relevance) : 1;
  return (tier === 0 ? 1 : 0) + unit;
}
