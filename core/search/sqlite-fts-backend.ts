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
import type {
  IndexChange,
  IndexedPage,
  IndexStats,
  SearchBackend,
  SearchFilters,
  SearchHit,
  SearchQuery,
  SearchResult,
} from './search-backend.js';
import { countTerms, expandWord, Vocabulary, VOCABULARY_SCHEMA, type VocabularyDelta } from './typo-expansion.js';

const SCHEMA_VERSION = 1;
/** 'ACVS' in the file header: tells our index apart from any other SQLite file (the catalog, say). */
const APPLICATION_ID = 0x41435653;

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
    text TEXT NOT NULL
  );
  CREATE INDEX pages_by_document ON pages (document_id, page_no);
  -- Filters run on the pages a MATCH found, looked up by id: this index answers them without
  -- reading the wide rows that hold the text (half the time of a filtered search at 100k pages).
  CREATE INDEX pages_filters ON pages (id, collection, year);
  CREATE VIRTUAL TABLE pages_fts USING fts5 (
    title, text,
    content = 'pages', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3 4'
  );
  ${VOCABULARY_SCHEMA}
`;

/** Title words weigh more than body words: a title says what the whole document is. */
const BM25 = 'bm25(pages_fts, 2.0, 1.0)';
/** Snippet delimiters from the private-use area, stripped from stored text so they only ever mean "match". */
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
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
    stats: async () => index.stats(),
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
  snippet: string | null;
}

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
    this.guard('update', (db) => {
      const delta: VocabularyDelta = new Map();
      db.transaction(() => {
        for (const change of changes) {
          this.removeDocument(change.documentId, delta);
          if (change.op === 'upsert') {
            for (const page of change.pages) this.insertPage(change.documentId, page, delta);
          } else if (change.op !== 'delete') {
            throw new AppError('INTERNAL', `Unknown index change "${(change as { op: unknown }).op}".`);
          }
        }
        this.vocabulary.apply(delta);
      }).immediate();
    });
  }

  search(query: SearchQuery): SearchResult {
    checkPaging(query);
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
        ? (this.statement(rankedSql(expanded !== null, where.sql)).all({ ...params, limit: query.limit, offset: query.offset }) as RankedRow[])
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
        snippet: snippetHtml(found.snippet ?? ''),
        score: score(row.tier, row.rank),
      });
    }
    return { query: query.text, total, hits };
  }

  clear(): void {
    this.guard('clear', (db) => {
      db.transaction(() => {
        db.prepare("INSERT INTO pages_fts (pages_fts) VALUES ('delete-all')").run();
        db.prepare('DELETE FROM pages').run();
        this.vocabulary.clear();
      }).immediate();
    });
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
    const old = this.statement('SELECT id, title, text FROM pages WHERE document_id = ?').all(documentId) as StoredPage[];
    if (old.length === 0) return;
    // External content: FTS5 forgets a row only when given the exact values it indexed.
    const forget = this.statement("INSERT INTO pages_fts (pages_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)");
    for (const page of old) {
      forget.run(page.id, page.title, page.text);
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
    const info = this.statement(
      `INSERT INTO pages (document_id, page_no, title, source, pdf, collection, year, text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(documentId, page.pageNo, title, page.source, page.pdf, page.collection, page.year, text);
    this.statement('INSERT INTO pages_fts (rowid, title, text) VALUES (?, ?, ?)').run(info.lastInsertRowid, title, text);
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

/** NFC so the same word typed or scanned in either Unicode form is stored one way; no snippet delimiters. */
function storedText(text: string): string {
  return text.normalize('NFC').replace(/[\uE000\uE001]/g, '\uFFFD');
}

function checkPaging(query: SearchQuery): void {
  for (const key of ['limit', 'offset'] as const) {
    const value = query[key];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new AppError('QUERY_INVALID', `The search ${key} must be a whole number of 0 or more, not ${String(value)}.`, {
        details: { [key]: value },
      });
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
  if (found.collections !== undefined && !found.collections.every((name) => typeof name === 'string')) {
    throw new AppError('QUERY_INVALID', 'Collection filters must be names (strings).');
  }
  return found;
}

/** Filters as SQL over `p` (pages). An empty collection list means no collection filter. */
function filterSql(filters: SearchFilters): { sql: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (filters.collections !== undefined && filters.collections.length > 0) {
    // One JSON parameter keeps one statement shape (and one cached statement) for any number of names.
    clauses.push('p.collection IN (SELECT value FROM json_each(:collections))');
    params.collections = JSON.stringify(filters.collections);
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
function matchesSql(tiered: boolean, filters: string): { ctes: string; from: string } {
  const exact = `SELECT rowid AS id, ${BM25} AS rank FROM pages_fts WHERE pages_fts MATCH :exact`;
  const ctes = tiered
    ? `WITH e AS MATERIALIZED (${exact}),
       t AS MATERIALIZED (SELECT rowid AS id, ${BM25} AS rank FROM pages_fts WHERE pages_fts MATCH :typosOnly),
       m AS (SELECT id, 0 AS tier, rank FROM e UNION ALL SELECT id, 1 AS tier, rank FROM t)`
    : `WITH m AS MATERIALIZED (SELECT id, 0 AS tier, rank FROM (${exact}))`;
  // The planner prefers the table's own rowid lookup, so the covering index is named.
  const from = filters === '' ? 'FROM m' : `FROM m JOIN pages p INDEXED BY pages_filters ON p.id = m.id WHERE ${filters}`;
  return { ctes, from };
}

/** One slice in rank order; ties broken by row id so paging never repeats or skips a page. */
function rankedSql(tiered: boolean, filters: string): string {
  const { ctes, from } = matchesSql(tiered, filters);
  return `${ctes} SELECT m.id, m.tier, m.rank, count(*) OVER () AS total ${from} ORDER BY m.tier, m.rank, m.id LIMIT :limit OFFSET :offset`;
}

/** The total alone, for slices past the end (the ranked query then returns no row to carry it). */
function countSql(tiered: boolean, filters: string): string {
  const { ctes, from } = matchesSql(tiered, filters);
  return `${ctes} SELECT count(*) AS total ${from}`;
}

// better-sqlite3 binds JS numbers as REAL, and FTS5 silently ignores a rowid equality that is
// not an INTEGER (every matching row comes back): hence the CAST.
const HIT_SQL = `
  SELECT p.document_id, p.page_no, p.title, p.source, p.pdf, p.collection, p.year,
         snippet(pages_fts, 1, '${MARK_OPEN}', '${MARK_CLOSE}', '…', ${SNIPPET_TOKENS}) AS snippet
  FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid
  WHERE pages_fts MATCH :match AND pages_fts.rowid = CAST(:id AS INTEGER)`;

/** Higher is better: each tier maps -bm25 into its own band, so every exact hit outscores every typo-only hit. */
function score(tier: 0 | 1, rank: number): number {
  const relevance = Math.max(0, -rank);
  const unit = Number.isFinite(relevance) ? relevance / (1 + relevance) : 1;
  return (tier === 0 ? 1 : 0) + unit;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function snippetHtml(raw: string): string {
  return raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] as string)
    .replaceAll(MARK_OPEN, '<mark>')
    .replaceAll(MARK_CLOSE, '</mark>');
}
