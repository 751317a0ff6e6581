/**
 * The library's collections: which hold converted documents (the names access policies and
 * export choose from), and what `acervo export` hands on of one (core/fixity/export-collection.ts):
 * its documents and their identifiers, never taxpayer numbers. Read as corrected by staff (the
 * effective_* views of schema migration 13).
 */
import type { Statements } from '../sqlite/statements.js';

/** A converted document as an export describes it. */
export interface ExportRecord {
  id: number;
  outputPath: string;
  outputSha256: string;
  outputBytes: number | null;
  sourcePath: string;
  relativePath: string;
  sha256: string | null;
  title: string | null;
  collection: string;
  year: number | null;
  box: string | null;
  series: string | null;
  documentType: string | null;
  date: string | null;
  language: string | null;
  notes: string | null;
  /** Pages in the PDF (blank pages left out by --drop-blank are not). */
  pdfPages: number;
}

/** Kinds of document_facts that are people's or companies' numbers, never handed on in an export (core/privacy/personal-numbers.ts). */
const TAX_NUMBER_KINDS = `('cpf', 'cnpj', 'cuit', 'rg', 'pis', 'titulo')`;

export class Collections {
  constructor(private readonly statements: Statements) {}

  /** Collections that hold converted documents with a PDF, with how many. */
  collections(): Array<{ collection: string; documents: number }> {
    // The machine's counts, then each corrected collection moved: at a million documents the
    // effective view's joins took 1.9 s a reading against 0.8 s (serve re-reads this every few seconds).
    const counts = new Map<string, number>();
    const add = (collection: string | null, n: number) => {
      if (collection !== null) counts.set(collection, (counts.get(collection) ?? 0) + n);
    };
    const machine = this.statements
      .get(`SELECT collection, COUNT(*) AS documents FROM documents WHERE status = 'done' AND output_path IS NOT NULL AND collection IS NOT NULL GROUP BY collection`)
      .all() as Array<{ collection: string; documents: number }>;
    for (const row of machine) add(row.collection, row.documents);
    const moved = this.statements
      .get(
        `SELECT d.collection AS machine, json_extract(c.value, '$') AS corrected FROM current_corrections c JOIN documents d ON d.id = c.document_id
         WHERE c.page_no = 0 AND c.field = 'collection' AND d.status = 'done' AND d.output_path IS NOT NULL`,
      )
      .all() as Array<{ machine: string | null; corrected: string | null }>;
    for (const row of moved) {
      add(row.machine, -1);
      add(row.corrected, 1);
    }
    return [...counts]
      .filter(([, documents]) => documents > 0)
      .map(([collection, documents]) => ({ collection, documents }))
      .sort((a, b) => (a.collection < b.collection ? -1 : a.collection > b.collection ? 1 : 0));
  }

  /** The converted documents of a collection, by their PDF's path. */
  exportRecords(collection: string): ExportRecord[] {
    return this.statements
      .get(
        `SELECT d.id, d.output_path AS outputPath, d.output_sha256 AS outputSha256, d.output_bytes AS outputBytes, d.source_path AS sourcePath,
           d.relative_path AS relativePath, d.sha256, d.title, d.collection, d.year, d.box, d.series, d.document_type AS documentType,
           d.doc_date AS date, d.language, d.notes, (SELECT COUNT(p.pdf_page) FROM pages p WHERE p.document_id = d.id) AS pdfPages
         FROM effective_documents d
         WHERE d.status = 'done' AND d.output_path IS NOT NULL AND d.output_sha256 IS NOT NULL AND d.collection = ?
         ORDER BY d.output_path`,
      )
      .all(collection) as ExportRecord[];
  }

  /** A document's identifiers (process, act numbers…) as normalised: `processo 1873/1987`. Never its taxpayer numbers. */
  identifiers(documentId: number): string[] {
    return (
      this.statements.get(`SELECT kind || ' ' || value AS identifier FROM effective_facts WHERE document_id = ? AND kind <> 'date' AND kind NOT IN ${TAX_NUMBER_KINDS}
         GROUP BY kind, value ORDER BY MIN(seq)`).all(documentId) as Array<{
        identifier: string;
      }>
    ).map((row) => row.identifier);
  }
}
