/**
 * SQLite FTS5 on the same library, for the side-by-side the choice of engine rests on (issue 19):
 * the index Acervo had until its own engine replaced it — pages in a table, an external-content
 * FTS5 table over title, text and identifiers (accents folded, prefix indexes 2–4), ranked by
 * bm25 with the title and identifiers weighing double, the match run first and materialized,
 * facets grouped over the join — built from the catalog and searched with the same query classes.
 *
 * Kept as lean as its queries: no typo expansion (the old index also searched typo variants, which
 * only made it slower), so these numbers flatter FTS5 a little. Opt-in (`--compare-fts5`): at a
 * million pages its build takes a quarter of an hour and its slowest searches seconds each.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseQuery } from '../../core/search/query-parser.js';
import type { SearchQuery } from '../../core/search/search-backend.js';
import type { ClassedQuery, QueryClass } from './query-classes.js';

export interface Fts5Result {
  buildSeconds: number;
  indexBytes: number;
  times: Map<QueryClass, number[]>;
}

const SCHEMA = `
  CREATE TABLE pages (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, page_no INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,
    identifiers TEXT NOT NULL, collection TEXT, year INTEGER, document_type TEXT, doc_date TEXT, language TEXT, personal_data INTEGER NOT NULL);
  CREATE INDEX pages_filters ON pages (id, collection, year, document_type, language, personal_data, doc_date);
  CREATE VIRTUAL TABLE pages_fts USING fts5 (title, text, identifiers, content = 'pages', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2", prefix = '2 3 4');`;
const FACETS = ['collection', 'document_type', 'year', 'language', 'personal_data'];

export async function benchFts5(catalogFile: string, queries: readonly ClassedQuery[]): Promise<Fts5Result> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-fts5-'));
  const file = path.join(folder, 'fts5.sqlite');
  try {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    const started = performance.now();
    db.exec(`ATTACH '${catalogFile.replaceAll("'", "''")}' AS catalog`);
    db.exec(`INSERT INTO pages (document_id, page_no, title, text, identifiers, collection, year, document_type, doc_date, language, personal_data)
      SELECT d.id, p.pdf_page, coalesce(d.title, d.relative_path), p.text,
        coalesce((SELECT group_concat(f.value, ' ; ') FROM catalog.document_facts f WHERE f.document_id = d.id AND f.page_no = p.page_no AND f.kind NOT IN ('date', 'cpf', 'cnpj', 'cuit')), ''),
        d.collection, d.year, d.document_type, d.doc_date, d.language, d.personal_data
      FROM catalog.documents d JOIN catalog.pages p ON p.document_id = d.id WHERE d.status = 'done' AND p.pdf_page IS NOT NULL`);
    db.exec("INSERT INTO pages_fts (pages_fts) VALUES ('rebuild')");
    db.exec('DETACH catalog');
    const buildSeconds = (performance.now() - started) / 1000;
    const times = new Map<QueryClass, number[]>();
    for (const { query } of queries.slice(0, 10)) search(db, query);
    for (const { kind, query } of queries) {
      const at = performance.now();
      search(db, query);
      times.set(kind, [...(times.get(kind) ?? []), performance.now() - at]);
    }
    db.close();
    return { buildSeconds, indexBytes: statSync(file).size, times };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The old engine's search: ranked slice with its total, then facets; no snippets (they cost little). */
function search(db: Database.Database, query: SearchQuery): void {
  const parsed = parseQuery(query.text);
  const term = (tokens: string[], prefix: boolean) => `"${tokens.join(' ')}"${prefix ? '*' : ''}`;
  const positive = parsed.clauses.filter((c) => !c.negated).map((c) => `(${c.anyOf.map((t) => term(t.tokens, t.prefix)).join(' OR ')})`);
  const negative = parsed.clauses.filter((c) => c.negated).map((c) => c.anyOf.map((t) => term(t.tokens, false)).join(' OR '));
  const match = positive.join(' AND ') + negative.map((n) => ` NOT (${n})`).join('');
  const filters: string[] = [];
  const params: Record<string, unknown> = { match };
  if (query.filters?.collections?.length) {
    filters.push('p.collection IN (SELECT value FROM json_each(:collections))');
    params.collections = JSON.stringify(query.filters.collections);
  }
  if (query.filters?.yearFrom !== undefined) {
    filters.push('p.year >= :yearFrom');
    params.yearFrom = query.filters.yearFrom;
  }
  if (query.filters?.yearTo !== undefined) {
    filters.push('p.year <= :yearTo');
    params.yearTo = query.filters.yearTo;
  }
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  const order = query.sort === 'date-desc' ? 'p.doc_date IS NULL, p.doc_date DESC, m.rank' : 'm.rank';
  const matches = `WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(pages_fts, 2.0, 1.0, 2.0) AS rank FROM pages_fts WHERE pages_fts MATCH :match)`;
  const joined = `FROM m JOIN pages p INDEXED BY pages_filters ON p.id = m.id ${where}`;
  db.prepare(`${matches} SELECT m.id, count(*) OVER () AS total ${joined} ORDER BY ${order} LIMIT :limit`).all({ ...params, limit: query.limit });
  if (query.facets) for (const column of FACETS) db.prepare(`${matches} SELECT p.${column}, count(*) ${joined} GROUP BY p.${column}`).all(params);
}
