import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { MIGRATIONS } from '../../core/catalog/schema.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-migrate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('catalog migration 8 (several documents per original)', () => {
  it('rebuilds the documents table keeping ids, pages, facts and the outbox', () => {
    const file = path.join(work, 'catalog.sqlite');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    for (const [v, sql] of MIGRATIONS.slice(0, 7).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${v + 1}`);
    }
    const now = '2026-01-01T00:00:00.000Z';
    old.prepare(`INSERT INTO documents (id, source_path, relative_path, status, output_path, output_sha256, title, collection, box, page_count, created_at, updated_at)
      VALUES (41, '/scans/a.pdf', 'a.pdf', 'done', 'documents/a.pdf', 'ab', 'ALVARÁ', 'Obras', '12', 2, ?, ?)`).run(now, now);
    old.prepare(`INSERT INTO pages (document_id, page_no, text, text_source, pdf_page) VALUES (41, 1, 'um', 'ocr', 1), (41, 2, 'dois', 'ocr', 2)`).run();
    old.prepare(`INSERT INTO document_facts (document_id, kind, value, text, page_no) VALUES (41, 'date', '1987-03-02', '2 de março de 1987', 1)`).run();
    old.prepare(`INSERT INTO outbox (document_id, op, created_at) VALUES (41, 'upsert', ?)`).run(now);
    old.close();

    const catalog = Catalog.open(file);
    try {
      const [doc] = catalog.partsOf('/scans/a.pdf');
      expect(doc).toMatchObject({ id: 41, title: 'ALVARÁ', collection: 'Obras', box: '12', partNo: 1, partCount: 1, sourceFirstPage: null, separatorPage: null, outputPath: 'documents/a.pdf' });
      expect(catalog.pages(41).map((p) => p.text)).toEqual(['um', 'dois']);
      expect(catalog.facts(41)).toHaveLength(1);
      expect(catalog.pendingIndexUpdates(10)).toEqual([{ id: 1, documentId: 41, op: 'upsert' }]);
    } finally {
      catalog.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // Deleting a document still cascades to its pages: the foreign keys point at the new table.
    const schema = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'pages'").get() as { sql: string };
    expect(schema.sql).toMatch(/REFERENCES documents \(id\) ON DELETE CASCADE/);
    const unique = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'documents'").get() as { sql: string };
    expect(unique.sql).toMatch(/UNIQUE \(source_path, part_no\)/);
    db.close();
    const writer = new Database(file);
    writer.pragma('foreign_keys = ON');
    writer.prepare('DELETE FROM documents WHERE id = 41').run();
    expect((writer.prepare('SELECT COUNT(*) AS n FROM pages').get() as { n: number }).n).toBe(0);
    writer.close();
  });
});
