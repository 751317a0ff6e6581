/**
 * Page texts read straight from the catalog, for the embedded index's snippets: in a library the
 * catalog already holds every page's text, so the index does not keep a second copy. Opened read
 * only, on first use (a new library's catalog may not exist yet when the index is opened).
 */
import type Database from 'better-sqlite3';
import type { PageTextSource } from '../search/embedded/embedded-backend.js';
import { openDatabase } from '../sqlite/database.js';
import { CATALOG_ROLE } from '../sqlite/sqlite-errors.js';

export function catalogPageTexts(catalogFile: string): PageTextSource {
  let db: Database.Database | null = null;
  let byPdfPage: Database.Statement | null = null;
  return {
    pageText(documentId: number, pdfPage: number): string | null {
      if (db === null) {
        db = openDatabase(catalogFile, { role: CATALOG_ROLE, readonly: true, busyTimeoutMs: 5000 });
        // The index numbers pages as the searchable PDF does (a dropped blank page or a batch's part shifts them).
        byPdfPage = db.prepare('SELECT text FROM pages WHERE document_id = ? AND pdf_page = ?').pluck();
      }
      return (byPdfPage!.get(documentId, pdfPage) as string | undefined) ?? null;
    },
    close(): void {
      db?.close();
      db = null;
    },
  };
}
