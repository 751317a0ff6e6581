/** Reads a library's catalog directly (read-only), to check what ingest recorded. */
import Database from 'better-sqlite3';
import path from 'node:path';

export interface CatalogRow {
  id: number;
  source_path: string;
  relative_path: string;
  media_type: string | null;
  sha256: string | null;
  output_path: string | null;
  output_sha256: string | null;
  title: string | null;
  collection: string | null;
  year: number | null;
  page_count: number;
  status: string;
  error_code: string | null;
  error_message: string | null;
  mean_confidence: number | null;
}

export interface PageRow {
  document_id: number;
  page_no: number;
  text: string;
  confidence: number | null;
  text_source: string;
  dpi: number | null;
  dpi_assumed: number;
  /** What the clean stage did to the OCR image, comma-separated; null when not cleaned. */
  cleaning: string | null;
}

export function readCatalog(library: string): { documents: CatalogRow[]; pages: PageRow[] } {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    return {
      documents: db.prepare('SELECT * FROM documents ORDER BY id').all() as CatalogRow[],
      pages: db.prepare('SELECT * FROM pages ORDER BY document_id, page_no').all() as PageRow[],
    };
  } finally {
    db.close();
  }
}
