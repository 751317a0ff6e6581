/**
 * Page texts read straight from the catalog, for the embedded index's snippets: in a library the
 * catalog already holds every page's text, so the index does not keep a second copy. Opened read
 * only, on first use (a new library's catalog may not exist yet when the index is opened). Its
 * failures are the catalog's (a damaged catalog is CATALOG_CORRUPT), not the search index's.
 */
import type { PageTextSource } from '../search/embedded/embedded-backend.js';
import { openDatabase } from '../sqlite/database.js';
import { CATALOG_ROLE } from '../sqlite/sqlite-errors.js';
import { Statements } from '../sqlite/statements.js';

export function catalogPageTexts(catalogFile: string): PageTextSource {
  let statements: Statements | null = null;
  let table = 'effective_pages';
  return {
    pageText(documentId: number, pdfPage: number): string | null {
      if (statements === null) {
        statements = new Statements(openDatabase(catalogFile, { role: CATALOG_ROLE, readonly: true, busyTimeoutMs: 5000 }), CATALOG_ROLE);
        // A catalog not yet migrated to 13 (read only here: searched before any command opened it to write) has no corrections to lay over.
        if (statements.get("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'effective_pages'").get() === undefined) table = 'pages';
      }
      // The index numbers pages as the searchable PDF does (a dropped blank page or a batch's part shifts them);
      // the text as staff corrected it, as the index was given it.
      return (statements.get(`SELECT text FROM ${table} WHERE document_id = ? AND pdf_page = ?`).pluck().get(documentId, pdfPage) as string | undefined) ?? null;
    },
    close(): void {
      statements?.db.close();
      statements = null;
    },
  };
}
