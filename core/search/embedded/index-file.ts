/**
 * The embedded index's file: one SQLite database (better-sqlite3) beside the catalog. SQLite gives
 * the index what a search server would: writes all or nothing, readers in other processes that
 * keep a consistent view while a writer works (WAL), and a file that survives a crash.
 *
 *     meta        generation (bumped by every write: readers refresh what they hold in memory)
 *     documents   each document's fields, and where its pages lie (segment, first local page)
 *     segments    a batch of pages: per page its document, page number, length and the fields
 *                 filters and facets read (page-columns.ts); which of its pages are deleted
 *     names       the collections, types and languages behind those fields' codes
 *     terms       per segment and word: how many pages hold it, and where its lists lie in the
 *                 segment's file (segment-files.ts): the pages with weights, then positions
 *     texts       each page's text, compressed, for snippets (when no catalog supplies them)
 *     vocabulary  words and how many pages hold each, for typo tolerance
 *
 * Schema versions 1–3 were SQLite FTS5 tables, and version 4 held personal numbers' digits (before
 * core/privacy/index-privacy.ts): such a file is emptied and laid out anew, and the index is rebuilt
 * from the catalog (it is only ever a copy of it).
 */
import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { AppError } from '../../errors.js';
import { openDatabase } from '../../sqlite/database.js';
import { SEARCH_INDEX_ROLE, sqliteError } from '../../sqlite/sqlite-errors.js';
import { VOCABULARY_SCHEMA } from '../typo-expansion.js';
import { SegmentFiles, segmentsFolder } from './segment-files.js';

export const SCHEMA_VERSION = 5;
/** 'ACVS' in the file header: tells our index apart from any other SQLite file (the catalog, say). */
const APPLICATION_ID = 0x41435653;

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('generation', 0), ('next_segment', 1);
  CREATE TABLE documents (
    document_id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    pdf TEXT NOT NULL,
    collection TEXT,
    year INTEGER,
    document_type TEXT,
    doc_date TEXT,
    language TEXT,
    personal_data INTEGER NOT NULL,
    segment INTEGER NOT NULL,
    first_local INTEGER NOT NULL,
    page_count INTEGER NOT NULL,
    generation INTEGER NOT NULL          -- when this row last changed: readers reload newer rows
  );
  CREATE INDEX documents_by_generation ON documents (generation);
  CREATE INDEX documents_by_segment ON documents (segment);
  CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    pages INTEGER NOT NULL,
    live INTEGER NOT NULL,               -- pages not deleted
    columns BLOB NOT NULL,               -- per page: document, page number, length, fields as codes (page-columns.ts)
    deleted BLOB,                        -- Uint32 local pages deleted, ascending; NULL: none
    generation INTEGER NOT NULL          -- when deleted last changed
  );
  CREATE TABLE names (kind TEXT NOT NULL, name TEXT NOT NULL, code INTEGER NOT NULL, PRIMARY KEY (kind, name)) WITHOUT ROWID;
  CREATE TABLE terms (
    segment INTEGER NOT NULL,
    term TEXT NOT NULL,
    pages INTEGER NOT NULL,              -- pages of the segment holding it
    at INTEGER NOT NULL,                 -- where its lists start in the segment's file
    pages_bytes INTEGER NOT NULL,        -- its pages list; its positions follow
    positions_bytes INTEGER NOT NULL,
    PRIMARY KEY (segment, term)
  ) WITHOUT ROWID;
  -- key = document id × 2^21 + page number: a rowid table keeps a 1–3 KB blob on its own page,
  -- where a WITHOUT ROWID table would spill most of it into an overflow page.
  CREATE TABLE texts (key INTEGER PRIMARY KEY, data BLOB NOT NULL);
  ${VOCABULARY_SCHEMA}
`;

/** Pages per document a text key allows; see the texts table. */
export const PAGES_PER_KEY = 2 ** 21;

export function textKey(documentId: number, pageNo: number): number {
  if (!Number.isSafeInteger(documentId) || documentId < 0 || documentId >= 2 ** 31 || pageNo < 0 || pageNo >= PAGES_PER_KEY) {
    throw new AppError('INTERNAL', `Page ${pageNo} of document ${documentId} is outside what the embedded index can address.`, { details: { documentId, pageNo } });
  }
  return documentId * PAGES_PER_KEY + pageNo;
}

export interface IndexFileOptions {
  /** Searches only (a serve worker thread): never creates or changes the file. */
  readonly?: boolean;
}

export function openIndexFile(file: string, options: IndexFileOptions = {}): Database.Database {
  if (options.readonly && !existsSync(file)) {
    throw new AppError('LIBRARY_UNUSABLE', `The search index ${file} does not exist: run acervo reindex to build it from the catalog.`, { details: { file } });
  }
  return openDatabase(file, {
    role: SEARCH_INDEX_ROLE,
    busyTimeoutMs: 5000,
    readonly: options.readonly === true,
    schema: (db) => (options.readonly ? checkSchema(db, file) : ensureSchema(db, file)),
    cacheKiB: 32_000,
  });
}

function read(db: Database.Database): { app: number; version: number } {
  return { app: db.pragma('application_id', { simple: true }) as number, version: db.pragma('user_version', { simple: true }) as number };
}

function ensureSchema(db: Database.Database, file: string): void {
  let found = read(db);
  let fresh = false;
  // Free pages (a rebuild, a merge) are given back to the file system at once: a new file is made
  // with incremental auto-vacuum, which SQLite allows only before its first table exists.
  if (found.app === 0 && found.version === 0) db.pragma('auto_vacuum = INCREMENTAL');
  if ((found.app === 0 && found.version === 0) || (found.app === APPLICATION_ID && found.version < SCHEMA_VERSION)) {
    // IMMEDIATE, then look again: two processes opening a new library must not both create it.
    db.transaction(() => {
      found = read(db);
      if (found.app === 0 && found.version === 0) {
        const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
        if (tables.n > 0) throw notOurs(file);
      } else if (!(found.app === APPLICATION_ID && found.version < SCHEMA_VERSION)) return;
      // An older Acervo's FTS5 index (or nothing): laid out anew; the catalog refills it. Segment
      // files of an index that was deleted and made again would clash with the new one's.
      dropEverything(db);
      new SegmentFiles(segmentsFolder(file)).removeAll();
      db.exec(SCHEMA);
      fresh = true;
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    found = read(db);
  }
  // A file laid out anew over an older index: turn auto-vacuum on (its tables are empty, so this is quick).
  if (fresh && (db.pragma('auto_vacuum', { simple: true }) as number) !== 2) {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  }
  checkFound(found, file);
}

function checkSchema(db: Database.Database, file: string): void {
  checkFound(read(db), file);
}

function checkFound(found: { app: number; version: number }, file: string): void {
  if (found.app !== APPLICATION_ID) throw notOurs(file);
  if (found.version !== SCHEMA_VERSION) {
    throw new AppError(
      'LIBRARY_UNUSABLE',
      `The search index ${file} has schema version ${found.version}; this Acervo reads version ${SCHEMA_VERSION}. ` +
        'Use the matching Acervo version, or delete the index file and rebuild it from the catalog (acervo reindex).',
      { details: { file, version: found.version, expected: SCHEMA_VERSION } },
    );
  }
}

function dropEverything(db: Database.Database): void {
  const objects = db.prepare("SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'").all() as Array<{ type: string; name: string }>;
  // Virtual tables first: dropping one drops its shadow tables with it.
  const virtual = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").pluck().all() as string[]));
  for (const name of virtual) db.exec(`DROP TABLE IF EXISTS "${name.replaceAll('"', '""')}"`);
  for (const { type, name } of objects) {
    if (!virtual.has(name)) db.exec(`DROP ${type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS "${name.replaceAll('"', '""')}"`);
  }
}

function notOurs(file: string): AppError {
  return new AppError('LIBRARY_UNUSABLE', `${file} is an SQLite database but not an Acervo search index. Check the library path, or move that file away.`, {
    details: { file },
  });
}

/** Failures as AppErrors: a damaged or unreachable file makes the library unusable; anything else is a bug (core/sqlite/sqlite-errors.ts). */
export function indexError(error: unknown, file: string, action: string): AppError {
  return sqliteError(error, file, SEARCH_INDEX_ROLE, action);
}
