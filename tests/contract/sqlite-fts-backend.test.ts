import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteFtsBackend } from '../../core/search/sqlite-fts-backend.js';
import type { IndexedPage, SearchBackend } from '../../core/search/search-backend.js';
import { searchBackendContract } from './search-backend.contract.js';

const root = mkdtempSync(join(tmpdir(), 'acervo-sqlite-fts-'));
let opened = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

searchBackendContract('embedded (SQLite FTS5)', async () => {
  opened += 1;
  return openSqliteFtsBackend(join(root, `contract-${opened}`, 'index.sqlite'));
});

function page(documentId: number, pageNo: number, text: string): IndexedPage {
  return { documentId, pageNo, title: `Documento ${documentId}`, source: `/s/${documentId}.tif`, pdf: `pdf/${documentId}.pdf`, collection: null, year: null, documentType: null, date: null, language: null, personalData: false, text, identifiers: '' };
}

describe('embedded search index (SQLite specifics)', () => {
  let folder: string;
  let file: string;
  const open: SearchBackend[] = [];
  const openIndex = (path = file) => {
    const backend = openSqliteFtsBackend(path);
    open.push(backend);
    return backend;
  };

  beforeEach(() => {
    folder = mkdtempSync(join(root, 'case-'));
    file = join(folder, 'nested', 'deeper', 'index.sqlite');
  });

  afterEach(async () => {
    for (const backend of open.splice(0)) await backend.close();
  });

  it('creates missing folders, uses WAL, and names itself "embedded"', async () => {
    const backend = openIndex();
    expect(backend.name).toBe('embedded');
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(3);
    } finally {
      db.close();
    }
  });

  it('keeps its data when reopened', async () => {
    const first = openSqliteFtsBackend(file);
    await first.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 1, 'Certidão de óbito'), page(1, 2, 'Averbação')] }]);
    await first.close();

    const again = openIndex();
    expect(await again.stats()).toEqual({ documents: 1, pages: 2 });
    expect((await again.search({ text: 'certidao', limit: 10, offset: 0 })).hits.map((hit) => hit.page)).toEqual([1]);
    // The typo vocabulary survives too.
    expect((await again.search({ text: 'averbaçõo', limit: 10, offset: 0 })).total).toBe(1);
  });

  it('lets a second process read what the first one writes', async () => {
    const writer = openIndex();
    const reader = openIndex();
    await writer.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 1, 'Decreto de nomeação')] }]);
    expect((await reader.search({ text: 'nomeação', limit: 10, offset: 0 })).total).toBe(1);
  });

  it('refuses a file that is not a database with LIBRARY_UNUSABLE', () => {
    const garbage = join(folder, 'garbage.sqlite');
    writeFileSync(garbage, Buffer.from('this is not an SQLite database, only some bytes '.repeat(200)));
    expect(() => openSqliteFtsBackend(garbage)).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
  });

  it('reports a damaged index as LIBRARY_UNUSABLE, not a crash', async () => {
    const backend = openSqliteFtsBackend(file);
    const text = Array.from({ length: 300 }, (_, i) => `palavra${i} processo licitação`).join(' ');
    await backend.apply(Array.from({ length: 40 }, (_, i) => ({ op: 'upsert' as const, documentId: i + 1, pages: [page(i + 1, 1, text)] })));
    await backend.close();
    // Keep the header page, scramble the rest: the file opens, its tables do not read.
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    for (let i = pageSize; i < bytes.length; i += 1) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(file, bytes);

    let failure: unknown;
    try {
      const damaged = openIndex();
      await damaged.stats();
      await damaged.search({ text: 'licitação', limit: 10, offset: 0 });
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: 'LIBRARY_UNUSABLE' });
  });

  it('refuses another application\'s SQLite database and leaves it untouched', () => {
    const other = join(folder, 'catalog.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    const before = readFileSync(other);

    expect(() => openSqliteFtsBackend(other)).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
    expect(readFileSync(other).equals(before)).toBe(true);
  });

  it('brings an index from an older Acervo (schema 1: no type, date, language, personal data or identifiers) up to date, keeping its pages', async () => {
    const first = openSqliteFtsBackend(file);
    await first.apply([{ op: 'upsert', documentId: 1, pages: [{ ...page(1, 1, 'Certidão de casamento'), documentType: 'certidao' }] }]);
    await first.close();
    // What schema 1 looked like: the pages table without type, date, language and personal data.
    const db = new Database(file);
    db.exec(`DROP INDEX pages_filters; DROP TABLE pages_fts;
      ALTER TABLE pages DROP COLUMN document_type; ALTER TABLE pages DROP COLUMN doc_date;
      ALTER TABLE pages DROP COLUMN language; ALTER TABLE pages DROP COLUMN personal_data; ALTER TABLE pages DROP COLUMN identifiers;
      CREATE INDEX pages_filters ON pages (id, collection, year);
      CREATE VIRTUAL TABLE pages_fts USING fts5 (title, text, content = 'pages', content_rowid = 'id', tokenize = "unicode61 remove_diacritics 2", prefix = '2 3 4');
      INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');`);
    db.pragma('user_version = 1');
    db.close();

    const upgraded = openIndex();
    const found = await upgraded.search({ text: 'casamento', limit: 10, offset: 0, facets: true });
    expect(found.hits.map((hit) => [hit.documentId, hit.documentType, hit.personalData])).toEqual([[1, null, false]]);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(3);
    } finally {
      check.close();
    }
  });

  it('refuses an index made by a newer schema version', async () => {
    await openSqliteFtsBackend(file).close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteFtsBackend(file)).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
  });

  it('refuses a path it cannot create with LIBRARY_UNUSABLE', () => {
    const blocker = join(folder, 'a-file');
    writeFileSync(blocker, 'x');
    expect(() => openSqliteFtsBackend(join(blocker, 'index.sqlite'))).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
  });

  it('applies a batch all or nothing', async () => {
    const backend = openIndex();
    await backend.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 1, 'Ofício original')] }]);

    const bad = backend.apply([
      { op: 'upsert', documentId: 1, pages: [page(1, 1, 'Ofício substituído')] },
      { op: 'upsert', documentId: 2, pages: [page(3, 1, 'página com o documento errado')] },
    ]);

    await expect(bad).rejects.toMatchObject({ code: 'INTERNAL' });
    expect((await backend.search({ text: 'original', limit: 10, offset: 0 })).total).toBe(1);
    expect((await backend.search({ text: 'substituído', limit: 10, offset: 0 })).total).toBe(0);
    expect(await backend.stats()).toEqual({ documents: 1, pages: 1 });
  });

  it('keeps the full-text index and the typo vocabulary consistent with the pages', async () => {
    const backend = openIndex();
    const texts = ['Certidão negativa de débitos', 'ALVARÁ de construção nº 12/1987', 'Licitação: tomada de preços', 'certida\u0303o em forma decomposta'];
    for (let round = 0; round < 3; round += 1) {
      await backend.apply(texts.map((text, i) => ({ op: 'upsert' as const, documentId: i + 1, pages: [page(i + 1, 1, `${text} rodada${round}`), page(i + 1, 2, `Anexo ${round}`)] })));
    }
    await backend.apply([{ op: 'delete', documentId: 2 }]);
    await backend.close();
    open.length = 0;

    const db = new Database(file);
    try {
      // FTS5 compares its index with the content table and throws on any difference.
      expect(() => db.prepare("INSERT INTO pages_fts (pages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
      db.exec("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, 'pages_fts', 'row')");
      const fromFts = db.prepare('SELECT term, doc FROM temp.words').all() as { term: string; doc: number }[];
      const expected = fromFts.filter((row) => /^\p{L}{4,40}$/u.test(row.term)).map((row) => [row.term, row.doc]);
      const vocabulary = db.prepare('SELECT term, pages FROM vocabulary ORDER BY term').raw().all();
      expect(vocabulary).toEqual(expected);
      expect(vocabulary).toContainEqual(['certidao', 2]);
      expect(vocabulary).not.toContainEqual(expect.arrayContaining(['alvara']));
      expect(vocabulary.some((row) => String((row as unknown[])[0]).startsWith('rodada'))).toBe(false); // has digits
    } finally {
      db.close();
    }
  });

  it('clears to an empty file-backed index that keeps working', async () => {
    const backend = openIndex();
    await backend.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 1, 'Decreto antigo')] }]);
    await backend.clear();
    await backend.apply([{ op: 'upsert', documentId: 2, pages: [page(2, 1, 'Decreto novo')] }]);
    const result = await backend.search({ text: 'decreto', limit: 10, offset: 0 });
    expect(result.hits.map((hit) => hit.documentId)).toEqual([2]);
    expect(statSync(file).size).toBeGreaterThan(0);
  });

  it('rejects bad paging with QUERY_INVALID', async () => {
    const backend = openIndex();
    for (const [limit, offset] of [[-1, 0], [10, -5], [1.5, 0], [Number.NaN, 0]] as const) {
      await expect(backend.search({ text: 'decreto', limit, offset })).rejects.toMatchObject({ code: 'QUERY_INVALID' });
    }
  });

  it('answers limit 0 with the total alone', async () => {
    const backend = openIndex();
    await backend.apply([1, 2, 3].map((id) => ({ op: 'upsert' as const, documentId: id, pages: [page(id, 1, 'Portaria')] })));
    expect(await backend.search({ text: 'portaria', limit: 0, offset: 0 })).toEqual({ query: 'portaria', total: 3, hits: [] });
  });

  it('rejects calls after close', async () => {
    const backend = openSqliteFtsBackend(file);
    await backend.close();
    await backend.close(); // twice is fine
    await expect(backend.stats()).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
