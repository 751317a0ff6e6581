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

describe('catalog migration 9 (pages in a rowid table)', () => {
  it('keeps every page and its values, keeps (document, page) unique, and takes a fraction of the space for page-sized texts', () => {
    const file = path.join(work, 'catalog-v8.sqlite');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    for (const [v, sql] of MIGRATIONS.slice(0, 8).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${v + 1}`);
    }
    const now = '2026-01-01T00:00:00.000Z';
    const insertDocument = old.prepare(`INSERT INTO documents (id, source_path, relative_path, status, output_path, page_count, created_at, updated_at) VALUES (?, ?, ?, 'done', ?, 10, ?, ?)`);
    const insertPage = old.prepare(
      `INSERT INTO pages (document_id, page_no, text, confidence, text_source, width_pt, height_pt, dpi, dpi_assumed, pdf_page, rotation, skew_degrees, blank)
       VALUES (?, ?, ?, 91.5, 'ocr', 595, 842, 300, 0, ?, 90, -1.5, 0)`,
    );
    // Pages of OCR text the size municipal records have (1.5 KB).
    const text = (id: number, page: number) => `Processo ${id}/${page}. ${'Requerimento de alvará de funcionamento para o comércio da rua. '.repeat(24)}`;
    old.transaction(() => {
      for (let id = 1; id <= 200; id += 1) {
        insertDocument.run(id, `/scans/${id}.tif`, `${id}.tif`, `documents/${id}.pdf`, now, now);
        for (let page = 1; page <= 10; page += 1) insertPage.run(id, page, text(id, page), page === 10 ? null : page);
      }
    })();
    const before = (old.prepare("SELECT sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'pages%' OR name LIKE 'sqlite_autoindex_pages%'").get() as { bytes: number }).bytes;
    old.close();

    const catalog = Catalog.open(file);
    try {
      expect(catalog.pages(7).map((p) => [p.pageNo, p.pdfPage, p.confidence, p.textSource])).toEqual(
        Array.from({ length: 10 }, (_, i) => [i + 1, i === 9 ? null : i + 1, 91.5, 'ocr']),
      );
      expect(catalog.pages(7)[2]!.text).toBe(text(7, 3));
    } finally {
      catalog.close();
    }
    const db = new Database(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT count(*) FROM pages').pluck().get()).toBe(2000);
      expect(db.prepare('SELECT rotation, skew_degrees, dpi, width_pt FROM pages WHERE document_id = 3 AND page_no = 4').get()).toEqual({ rotation: 90, skew_degrees: -1.5, dpi: 300, width_pt: 595 });
      const after = (db.prepare("SELECT sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'pages%' OR name LIKE 'sqlite_autoindex_pages%'").get() as { bytes: number }).bytes;
      expect(after).toBeLessThan(before * 0.7);
      expect(() => db.prepare(`INSERT INTO pages (document_id, page_no, text, text_source) VALUES (3, 4, 'outra', 'ocr')`).run()).toThrow(/UNIQUE/);
      // The embedded index reads a page's text by its number in the PDF, through an index.
      expect(JSON.stringify(db.prepare('EXPLAIN QUERY PLAN SELECT text FROM pages WHERE document_id = 3 AND pdf_page = 4').all())).toMatch(/pages_by_pdf_page/);
    } finally {
      db.close();
    }
  });
});
