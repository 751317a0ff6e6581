/**
 * The one opener and error translation of the library's SQLite files (core/sqlite/): the catalog
 * and the embedded search index fail with the same kinds of errors, each with its own code where
 * they differ (a damaged catalog is CATALOG_CORRUPT, a damaged index LIBRARY_UNUSABLE).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { MIGRATIONS } from '../../core/catalog/schema.js';
import { openIndexFile } from '../../core/search/embedded/index-file.js';
import { openDatabase } from '../../core/sqlite/database.js';
import { runMigrations } from '../../core/sqlite/migrations.js';
import { CATALOG_ROLE, SEARCH_INDEX_ROLE, sqliteError } from '../../core/sqlite/sqlite-errors.js';
import { thrown } from '../helpers/thrown.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-sqlite-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;
const fresh = (name: string) => path.join(work, `${++files}-${name}`);

/** A real SQLite failure of the given kind. */
function sqliteFailure(kind: 'busy' | 'syntax'): Database.SqliteError {
  const file = fresh('busy.sqlite');
  const holder = new Database(file);
  holder.exec('CREATE TABLE t (x)');
  const other = new Database(file, { timeout: 0 });
  try {
    if (kind === 'syntax') return thrown(() => other.prepare('SELEC 1')) as Database.SqliteError;
    holder.exec('BEGIN IMMEDIATE');
    return thrown(() => other.exec('INSERT INTO t VALUES (1)')) as Database.SqliteError;
  } finally {
    other.close();
    holder.close();
  }
}

describe('a file that is not a database', () => {
  const garbage = () => {
    const file = fresh('garbage.sqlite');
    writeFileSync(file, 'this is not a database'.repeat(500));
    return file;
  };

  it('is a damaged catalog: CATALOG_CORRUPT, naming the file, left as it was', () => {
    const file = garbage();
    const before = readFileSync(file);
    expect(thrown(() => Catalog.open(file))).toMatchObject({ code: 'CATALOG_CORRUPT', message: expect.stringContaining(`The catalog ${file} is damaged`), details: { file, sqlite: 'SQLITE_NOTADB' } });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('is a damaged search index: LIBRARY_UNUSABLE, to rebuild from the catalog', () => {
    const file = garbage();
    expect(thrown(() => openIndexFile(file))).toMatchObject({ code: 'LIBRARY_UNUSABLE', message: expect.stringContaining('acervo reindex'), details: { sqlite: 'SQLITE_NOTADB' } });
  });
});

describe('a path that cannot be made', () => {
  it('leaves either file unusable (LIBRARY_UNUSABLE), not a crash', () => {
    const blocker = fresh('a-file');
    writeFileSync(blocker, 'x');
    expect(thrown(() => Catalog.open(path.join(blocker, 'catalog.sqlite')))).toMatchObject({ code: 'LIBRARY_UNUSABLE', message: expect.stringContaining('Cannot open the catalog') });
    expect(thrown(() => openIndexFile(path.join(blocker, 'index.sqlite')))).toMatchObject({ code: 'LIBRARY_UNUSABLE', message: expect.stringContaining('Cannot open the search index') });
  });
});

describe('sqliteError', () => {
  it('reads a lock held too long as LIBRARY_UNUSABLE, whatever the file', () => {
    const busy = sqliteFailure('busy');
    expect(busy.code).toBe('SQLITE_BUSY');
    expect(sqliteError(busy, 'catalog.sqlite', CATALOG_ROLE, 'update')).toMatchObject({ code: 'LIBRARY_UNUSABLE', message: expect.stringContaining('stayed locked') });
    expect(sqliteError(busy, 'index.sqlite', SEARCH_INDEX_ROLE, 'update')).toMatchObject({ code: 'LIBRARY_UNUSABLE', message: expect.stringContaining('stayed locked') });
  });

  it('makes an SQLite failure of no known kind LIBRARY_UNUSABLE while opening, INTERNAL (a bug) after', () => {
    const syntax = sqliteFailure('syntax');
    expect(syntax.code).toBe('SQLITE_ERROR');
    expect(sqliteError(syntax, 'catalog.sqlite', CATALOG_ROLE, 'open')).toMatchObject({ code: 'LIBRARY_UNUSABLE' });
    expect(sqliteError(syntax, 'index.sqlite', SEARCH_INDEX_ROLE, 'search')).toMatchObject({ code: 'INTERNAL' });
    expect(sqliteError(new TypeError('x is not a function'), 'catalog.sqlite', CATALOG_ROLE, 'open')).toMatchObject({ code: 'INTERNAL' });
  });

  it('reads the file system refusing as an unreachable file', () => {
    const refused = Object.assign(new Error('EACCES: permission denied'), { syscall: 'mkdir', code: 'EACCES' });
    expect(sqliteError(refused, 'catalog.sqlite', CATALOG_ROLE, 'open')).toMatchObject({ code: 'LIBRARY_UNUSABLE', details: { file: 'catalog.sqlite' } });
  });
});

describe('migrations', () => {
  it('open a new catalog at the last migration, in WAL, with foreign keys on', () => {
    const file = fresh('catalog.sqlite');
    const catalog = Catalog.open(file);
    catalog.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    const opened = openDatabase(file, { role: CATALOG_ROLE, busyTimeoutMs: 0, foreignKeys: true });
    try {
      expect(opened.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      opened.close();
    }
  });

  it('refuse a catalog from a newer Acervo and leave it untouched', () => {
    const file = fresh('newer.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const before = readFileSync(file);
    expect(thrown(() => Catalog.open(file))).toMatchObject({ code: 'LIBRARY_UNUSABLE', message: expect.stringContaining('newer Acervo') });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('run all or nothing: a failing migration leaves the file at the version it had', () => {
    const file = fresh('half.sqlite');
    const migrations = ['CREATE TABLE a (x)', 'CREATE TABLE b (x)', 'CREATE TABLE a (x)'];
    const failure = thrown(() => openDatabase(file, { role: CATALOG_ROLE, busyTimeoutMs: 0, schema: (db) => runMigrations(db, migrations, { role: CATALOG_ROLE, pageSize: 4096 }) }));
    expect(failure).toMatchObject({ code: 'LIBRARY_UNUSABLE', details: { sqlite: 'SQLITE_ERROR' } });
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('refuse a migration that leaves rows pointing nowhere, with the role\'s code for damage', () => {
    const file = fresh('dangling.sqlite');
    const migrations = [
      'CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))',
      'INSERT INTO child VALUES (7)',
    ];
    const failure = thrown(() => openDatabase(file, { role: CATALOG_ROLE, busyTimeoutMs: 0, foreignKeys: true, schema: (db) => runMigrations(db, migrations, { role: CATALOG_ROLE, pageSize: 4096 }) }));
    expect(failure).toMatchObject({ code: 'CATALOG_CORRUPT', message: expect.stringContaining('1 rows pointing nowhere') });
  });
});
