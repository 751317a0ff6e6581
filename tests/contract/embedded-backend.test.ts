import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedIndex } from '../../core/search/embedded/embedded-backend.js';
import type { IndexedPage, SearchBackend } from '../../core/search/search-backend.js';
import { searchBackendContract } from './search-backend.contract.js';

const root = mkdtempSync(join(tmpdir(), 'acervo-embedded-'));
let opened = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

searchBackendContract('embedded', async () => {
  opened += 1;
  return openEmbeddedIndex(join(root, `contract-${opened}`, 'index.sqlite'));
});

function page(documentId: number, pageNo: number, text: string): IndexedPage {
  return { documentId, pageNo, title: `Documento ${documentId}`, source: `/s/${documentId}.tif`, pdf: `pdf/${documentId}.pdf`, collection: null, year: null, documentType: null, date: null, language: null, personalData: false, text, identifiers: '' };
}

describe('embedded search index (its file)', () => {
  let folder: string;
  let file: string;
  const open: SearchBackend[] = [];
  const openIndex = (path = file) => {
    const backend = openEmbeddedIndex(path);
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
      expect(db.pragma('user_version', { simple: true })).toBe(5);
    } finally {
      db.close();
    }
  });

  it('matches name filters exactly as stored (Meilisearch ignores case: search-backend.ts, where the backends differ)', async () => {
    const backend = openIndex();
    await backend.apply([{ op: 'upsert', documentId: 1, pages: [{ ...page(1, 1, 'Alvará de construção'), collection: 'Obras' }] }]);
    expect((await backend.search({ text: 'alvara', limit: 10, offset: 0, filters: { collections: ['Obras'] } })).total).toBe(1);
    expect((await backend.search({ text: 'alvara', limit: 10, offset: 0, filters: { collections: ['obras'] } })).total).toBe(0);
  });

  it('keeps its data when reopened', async () => {
    const first = openEmbeddedIndex(file);
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
    expect(() => openEmbeddedIndex(garbage)).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
  });

  it('reports a damaged index as LIBRARY_UNUSABLE, not a crash', async () => {
    const backend = openEmbeddedIndex(file);
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

    expect(() => openEmbeddedIndex(other)).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
    expect(readFileSync(other).equals(before)).toBe(true);
  });

  it('lays an older Acervo\'s FTS5 index (schema 3) out anew, empty, ready to be rebuilt from the catalog', async () => {
    // What schema 3 looked like: a pages table, an external-content FTS5 table over it, a vocabulary.
    mkdirSync(dirname(file), { recursive: true });
    const old = new Database(file);
    old.exec(`CREATE TABLE pages (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, page_no INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL);
      CREATE VIRTUAL TABLE pages_fts USING fts5 (title, text, content = 'pages', content_rowid = 'id', tokenize = "unicode61 remove_diacritics 2");
      CREATE TABLE vocabulary (term TEXT PRIMARY KEY, first TEXT NOT NULL, length INTEGER NOT NULL, pages INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO pages VALUES (1, 1, 1, 'Velho', 'Certidão antiga');
      INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');`);
    old.pragma('journal_mode = WAL');
    old.pragma(`application_id = ${0x41435653}`);
    old.pragma('user_version = 3');
    old.close();

    const upgraded = openIndex();
    expect(await upgraded.stats()).toEqual({ documents: 0, pages: 0 });
    await upgraded.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 1, 'Certidão antiga')] }]);
    expect((await upgraded.search({ text: 'certidao', limit: 10, offset: 0 })).total).toBe(1);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(5);
      expect(check.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'pages%'").pluck().get()).toBe(0);
    } finally {
      check.close();
    }
  });

  it('lays an index of schema 4 (which held personal numbers\' digits) out anew, empty, to be rebuilt', async () => {
    const first = openIndex();
    await first.apply([{ op: 'upsert', documentId: 1, pages: [page(1, 1, 'Certidão antiga')] }]);
    await first.close();
    const db = new Database(file);
    db.pragma('user_version = 4');
    db.close();
    const upgraded = openIndex();
    expect(await upgraded.stats()).toEqual({ documents: 0, pages: 0 });
    await upgraded.close();
  });

  it('refuses an index made by a newer schema version', async () => {
    await openEmbeddedIndex(file).close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openEmbeddedIndex(file)).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
  });

  it('refuses a path it cannot create with LIBRARY_UNUSABLE', () => {
    const blocker = join(folder, 'a-file');
    writeFileSync(blocker, 'x');
    expect(() => openEmbeddedIndex(join(blocker, 'index.sqlite'))).toThrow(expect.objectContaining({ code: 'LIBRARY_UNUSABLE' }));
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

  it('keeps the typo vocabulary equal to the pages its words are on, through updates, deletions and merges', async () => {
    const backend = openIndex();
    const texts = ['Certidão negativa de débitos', 'ALVARÁ de construção nº 12/1987', 'Licitação: tomada de preços', 'certida\u0303o em forma decomposta'];
    // Enough small writes that segments are merged (eight of a size) and deleted pages dropped.
    for (let round = 0; round < 12; round += 1) {
      await backend.apply(texts.map((text, i) => ({ op: 'upsert' as const, documentId: i + 1, pages: [page(i + 1, 1, `${text} rodada${round}`), page(i + 1, 2, `Anexo ${round}`)] })));
    }
    await backend.apply([{ op: 'delete', documentId: 2 }]);
    expect((await backend.search({ text: 'certidao', limit: 10, offset: 0 })).total).toBe(2);
    expect((await backend.search({ text: 'alvara', limit: 10, offset: 0 })).total).toBe(0);
    await backend.close();
    open.length = 0;

    const db = new Database(file, { readonly: true });
    try {
      // Every word's live pages, from the segments themselves.
      const live = new Map<string, number>();
      const segments = db.prepare('SELECT id, pages, deleted FROM segments').all() as Array<{ id: number; pages: number; deleted: Buffer | null }>;
      expect(segments.length).toBeLessThan(8);
      const vocabulary = new Map((db.prepare('SELECT term, pages FROM vocabulary').raw().all() as Array<[string, number]>));
      const listed = db.prepare('SELECT term, sum(pages) AS pages FROM terms GROUP BY term').all() as Array<{ term: string; pages: number }>;
      for (const row of listed) if (/^\p{L}{4,40}$/u.test(row.term)) live.set(row.term, row.pages);
      expect(vocabulary).toEqual(live);
      expect(vocabulary.get('certidao')).toBeGreaterThanOrEqual(2);
      expect([...vocabulary.keys()].some((term) => term.startsWith('rodada'))).toBe(false); // has digits
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
    const backend = openEmbeddedIndex(file);
    await backend.close();
    await backend.close(); // twice is fine
    await expect(backend.stats()).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
