/**
 * Documents and their pages and facts: what ingest and the watcher record of each original, and
 * what search, the web page and retry read back. Recording a conversion or a failure also queues
 * its index updates and settles the watcher's claim, in the same transaction.
 *
 * Reads go through the catalog's effective_* views: the machine's values with archive staff's
 * corrections laid over them (corrections.ts), so the index, the web API and export all show what
 * a person set. Writes go to the machine's tables only, so a re-ingest never undoes a correction.
 */
import type { ErrorRecord } from '../errors.js';
import type { ConvertedDocument, DocumentMetadata, MediaType, TextSource, WarningRecord } from '../model.js';
import type { Statements } from '../sqlite/statements.js';
import type { Corrections } from './corrections.js';
import type { InboxClaims } from './inbox-claims.js';
import type { IndexOutbox } from './index-outbox.js';
import type { ReviewDecisions } from './review-decisions.js';
import type { ReviewQueue } from './review-queue.js';

export interface CatalogDocument {
  id: number;
  sourcePath: string;
  relativePath: string;
  mediaType: MediaType | null;
  sha256: string | null;
  settings: string | null;
  outputPath: string | null;
  status: 'done' | 'failed';
  title: string | null;
  collection: string | null;
  year: number | null;
  box: string | null;
  series: string | null;
  documentType: string | null;
  date: string | null;
  language: string | null;
  /** 1 when the text holds a person's taxpayer number (SQLite has no booleans). */
  personalData: number;
  notes: string | null;
  pageCount: number;
  meanConfidence: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  failedSha256: string | null;
  attempts: number;
  /** 1, 2, … of a batch scan cut into documents; 1 of 1 for a file not split. */
  partNo: number;
  partCount: number;
  /** Pages of the original this document holds; null: the whole file. */
  sourceFirstPage: number | null;
  sourceLastPage: number | null;
  /** The separator page before it and what its barcode said. */
  separatorPage: number | null;
  separatorText: string | null;
}

export interface CatalogPage {
  pageNo: number;
  /** Page of the searchable PDF; null when the page was left out of it. */
  pdfPage: number | null;
  text: string;
  confidence: number | null;
  textSource: TextSource;
}

/** A date, identifier or taxpayer number found in a document. */
export interface DocumentFact {
  kind: string;
  value: string;
  text: string;
  pageNo: number | null;
  main: boolean;
}

export interface ConvertedRecord {
  sourcePath: string;
  relativePath: string;
  mediaType: MediaType;
  sha256: string;
  sizeBytes: number;
  settings: string;
  /** Every document made from the original (one, unless a batch was split), each with its PDF's path relative to the library. */
  documents: ReadonlyArray<{ outputPath: string; document: ConvertedDocument }>;
  /** The newest of staff's corrections the conversion was handed (Corrections.forConversion): its PDFs say them. 0: none. */
  pdfCorrectionsSeq?: number;
  /** The original was cut short: what is missing, kept on each of its documents until a whole copy converts. */
  incomplete?: ErrorRecord;
  /** The conversion's coded warnings about the original, kept on each of its documents (a later run that skips it says them again). */
  warnings?: readonly WarningRecord[];
}

/** What recording a conversion changed. */
export interface RecordedConversion {
  /** The documents' ids, in part order. */
  ids: number[];
  /** PDFs the original's earlier version had and this one does not (parts gone, or renamed): to delete once committed. */
  staleOutputs: string[];
}

export interface FailureRecord {
  sourcePath: string;
  relativePath: string;
  mediaType: MediaType | null;
  sha256: string | null;
  sizeBytes: number | null;
  error: ErrorRecord;
}

export interface CatalogTotals {
  documents: number;
  done: number;
  failed: number;
  /** Converted from a file cut short (INPUT_TRUNCATED): searchable, and waiting for a whole copy. */
  incomplete: number;
  pages: number;
  pendingIndexUpdates: number;
}

const DOCUMENT_COLUMNS = `
  id, source_path AS sourcePath, relative_path AS relativePath, media_type AS mediaType, sha256, settings,
  output_path AS outputPath, status, title, collection, year, box, series, document_type AS documentType, doc_date AS date,
  language, personal_data AS personalData, notes, page_count AS pageCount,
  mean_confidence AS meanConfidence, error_code AS errorCode, error_message AS errorMessage,
  failed_sha256 AS failedSha256, attempts, part_no AS partNo, part_count AS partCount, source_first_page AS sourceFirstPage,
  source_last_page AS sourceLastPage, separator_page AS separatorPage, separator_text AS separatorText`;

export class CatalogDocuments {
  constructor(
    private readonly statements: Statements,
    private readonly outbox: IndexOutbox,
    private readonly claims: InboxClaims,
    private readonly corrections: Corrections,
    private readonly review: ReviewQueue,
    private readonly decisions: ReviewDecisions,
  ) {}

  /** The original's document (its first part, when it was a batch cut into several). */
  findBySource(sourcePath: string): CatalogDocument | undefined {
    return this.statements.get(`SELECT ${DOCUMENT_COLUMNS} FROM effective_documents WHERE source_path = ? ORDER BY part_no LIMIT 1`).get(sourcePath) as CatalogDocument | undefined;
  }

  /** Every document made from the original, in part order. */
  partsOf(sourcePath: string): CatalogDocument[] {
    return this.statements.get(`SELECT ${DOCUMENT_COLUMNS} FROM effective_documents WHERE source_path = ? ORDER BY part_no`).all(sourcePath) as CatalogDocument[];
  }

  /** The coded warnings the original's last conversion gave (kept on its first part, as on each). */
  fileWarnings(sourcePath: string): WarningRecord[] {
    const row = this.statements.get("SELECT warnings FROM documents WHERE source_path = ? AND status = 'done' ORDER BY part_no LIMIT 1").get(sourcePath) as { warnings: string | null } | undefined;
    return row?.warnings ? (JSON.parse(row.warnings) as WarningRecord[]) : [];
  }

  getDocument(id: number): CatalogDocument | undefined {
    return this.statements.get(`SELECT ${DOCUMENT_COLUMNS} FROM effective_documents WHERE id = ?`).get(id) as CatalogDocument | undefined;
  }

  /** The document as the machine read it, without staff's corrections: what the record shows beside them. */
  machineDocument(id: number): CatalogDocument | undefined {
    return this.statements.get(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = ?`).get(id) as CatalogDocument | undefined;
  }

  /** True when another original already owns this output path. */
  isOutputTaken(outputPath: string, sourcePath: string): boolean {
    const row = this.statements.get('SELECT source_path AS sourcePath FROM documents WHERE output_path = ?').get(outputPath) as { sourcePath: string } | undefined;
    return row !== undefined && row.sourcePath !== sourcePath;
  }

  facts(documentId: number): DocumentFact[] {
    const rows = this.statements.get('SELECT kind, value, text, page_no AS pageNo, main FROM effective_facts WHERE document_id = ? ORDER BY seq').all(documentId) as Array<Omit<DocumentFact, 'main'> & { main: number }>;
    return rows.map((fact) => ({ ...fact, main: fact.main === 1 }));
  }

  pages(documentId: number): CatalogPage[] {
    return this.statements
      .get('SELECT page_no AS pageNo, pdf_page AS pdfPage, text, confidence, text_source AS textSource FROM effective_pages WHERE document_id = ? ORDER BY page_no')
      .all(documentId) as CatalogPage[];
  }

  /** A converted document with this original's checksum, if the library holds one. */
  findDoneBySha256(sha256: string): CatalogDocument | undefined {
    return this.statements.get(`SELECT ${DOCUMENT_COLUMNS} FROM effective_documents WHERE sha256 = ? AND status = 'done' ORDER BY id LIMIT 1`).get(sha256) as CatalogDocument | undefined;
  }

  /**
   * Documents whose last attempt failed, or was converted from a file cut short (one row per
   * original), with where their original lies: what `acervo retry --failed` takes again.
   */
  failedDocuments(): Array<{ id: number; sourcePath: string; relativePath: string; errorCode: string | null }> {
    return this.statements
      .get(
        `SELECT MIN(id) AS id, source_path AS sourcePath, relative_path AS relativePath, error_code AS errorCode FROM documents
         WHERE status = 'failed' OR (status = 'done' AND error_code = 'INPUT_TRUNCATED') GROUP BY source_path ORDER BY MIN(id)`,
      )
      .all() as Array<{
      id: number;
      sourcePath: string;
      relativePath: string;
      errorCode: string | null;
    }>;
  }

  totals(): CatalogTotals {
    return this.statements
      .get(
        `SELECT
           (SELECT COUNT(*) FROM documents) AS documents,
           (SELECT COUNT(*) FROM documents WHERE status = 'done') AS done,
           (SELECT COUNT(*) FROM documents WHERE status = 'failed') AS failed,
           (SELECT COUNT(*) FROM documents WHERE status = 'done' AND error_code = 'INPUT_TRUNCATED') AS incomplete,
           (SELECT COUNT(*) FROM pages) AS pages,
           (SELECT COUNT(*) FROM outbox) AS pendingIndexUpdates`,
      )
      .get() as CatalogTotals;
  }

  /**
   * Records what was made from an original — one document, or each part of a batch scan —
   * replacing any earlier version (parts it no longer has are removed), and queues the index
   * updates. With `claimedFrom`, the watcher's claim on that inbox file becomes `converted` in
   * the same transaction: a crash after it moves the original, and never converts the file again.
   */
  recordConverted(record: ConvertedRecord, claimedFrom?: string): RecordedConversion {
    const now = new Date().toISOString();
    const partCount = record.documents.length;
    return this.statements.transaction(() => {
      const before = this.partsOf(record.sourcePath);
      const ids: number[] = [];
      for (const { outputPath, document } of record.documents) {
        const confidences = document.pages.map((p) => p.confidence).filter((c): c is number => c !== null);
        const meanConfidence = confidences.length > 0 ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null;
        // A renamed part may take a path an earlier part of the same original holds: free it first.
        this.statements.get('UPDATE documents SET output_path = NULL WHERE source_path = ? AND output_path = ? AND part_no <> ?').run(record.sourcePath, outputPath, document.partNo);
        const id = this.upsertDocument(record.sourcePath, document.partNo, record.relativePath, now);
        // Staff's corrections are never written over: they stay in their own table, keyed by original and part.
        this.corrections.reattach(record.sourcePath, document.partNo, id);
        this.decisions.reattach(record.sourcePath, document.partNo, id);
        this.statements
          .get(
            `UPDATE documents SET media_type = ?, sha256 = ?, size_bytes = ?, settings = ?, output_path = ?, output_sha256 = ?,
               output_bytes = ?, title = ?, collection = ?, year = ?, box = ?, series = ?, document_type = ?, doc_date = ?, language = ?,
               personal_data = ?, notes = ?, page_count = ?, mean_confidence = ?, status = 'done',
               error_code = NULL, error_message = NULL, failed_sha256 = NULL, attempts = 0, updated_at = ?, converted_at = ?,
               part_count = ?, source_first_page = ?, source_last_page = ?, separator_page = ?, separator_text = ?, pdf_corrections_seq = ?
             WHERE id = ?`,
          )
          .run(
            record.mediaType, record.sha256, record.sizeBytes, record.settings, outputPath, document.outputSha256,
            document.outputBytes, ...metadataValues(document.metadata), document.pages.length, meanConfidence, now, now,
            partCount, document.sourcePages?.first ?? null, document.sourcePages?.last ?? null, document.separator?.page ?? null, document.separator?.text ?? null,
            record.pdfCorrectionsSeq ?? 0, id,
          );
        // Converted from a file cut short: done (its pages are searchable), and listed for retry --failed.
        if (record.incomplete) this.statements.get('UPDATE documents SET error_code = ?, error_message = ? WHERE id = ?').run(record.incomplete.code, record.incomplete.message, id);
        // Set or cleared each time: a new conversion's warnings replace the last one's.
        this.statements.get('UPDATE documents SET warnings = ? WHERE id = ?').run(record.warnings?.length ? JSON.stringify(record.warnings) : null, id);
        this.replacePages(id, document);
        // What the machine was unsure of, read anew (an accepted item stays accepted if it reads the same).
        this.review.refresh(id);
        this.outbox.enqueue(id, 'upsert', now);
        ids.push(id);
      }
      for (const gone of before.filter((doc) => doc.partNo > partCount)) {
        // Its corrections are kept, set apart from the id (another document may take it), for the part's return.
        this.corrections.detach(gone.id);
        this.decisions.detach(gone.id);
        this.statements.get('DELETE FROM documents WHERE id = ?').run(gone.id);
        this.outbox.enqueue(gone.id, 'delete', now);
      }
      if (claimedFrom !== undefined) this.claims.settle(claimedFrom, 'converted', ids[0]!, now);
      const kept = new Set(record.documents.map((d) => d.outputPath));
      const staleOutputs = before.map((doc) => doc.outputPath).filter((p): p is string => p !== null && !kept.has(p));
      return { ids, staleOutputs };
    });
  }

  /**
   * Records that the latest attempt at an original failed. An earlier good version, if any,
   * stays in the library and the index: nothing that was found before is lost.
   */
  recordFailure(record: FailureRecord, claimedFrom?: string): number {
    const now = new Date().toISOString();
    return this.statements.transaction(() => {
      const id = this.upsertDocument(record.sourcePath, 1, record.relativePath, now);
      this.statements
        .get(
          `UPDATE documents SET status = 'failed', error_code = ?, error_message = ?, failed_sha256 = ?,
             media_type = COALESCE(media_type, ?), size_bytes = COALESCE(size_bytes, ?), attempts = attempts + 1, updated_at = ?
           WHERE id = ?`,
        )
        .run(record.error.code, record.error.message, record.sha256, record.mediaType, record.sizeBytes, now, id);
      // A failed document is in no search and no queue (its items go; they come back when it converts).
      this.review.refresh(id);
      if (claimedFrom !== undefined) this.claims.settle(claimedFrom, 'failing', id, now);
      return id;
    });
  }

  private replacePages(id: number, document: ConvertedDocument): void {
    this.statements.get('DELETE FROM pages WHERE document_id = ?').run(id);
    const insertPage = this.statements.get(
      `INSERT INTO pages (document_id, page_no, pdf_page, text, confidence, text_source, width_pt, height_pt, dpi, dpi_assumed, rotation, skew_degrees, blank, cleaning)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const page of document.pages) {
      const c = page.corrections;
      insertPage.run(id, page.pageNo, page.pdfPageNo, page.text, page.confidence, page.textSource, page.widthPt, page.heightPt, page.dpi, page.dpiAssumed ? 1 : 0, c?.rotation ?? null, c?.skewDegrees ?? null, c?.blank ? 1 : 0, c?.cleaning?.join(',') ?? null);
    }
    this.statements.get('DELETE FROM document_facts WHERE document_id = ?').run(id);
    const insertFact = this.statements.get('INSERT INTO document_facts (document_id, kind, value, text, page_no, main, rival) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const { metadata } = document;
    for (const date of metadata.dates) insertFact.run(id, 'date', date.iso, date.text, date.page, date.main ? 1 : 0, date.rival ? 1 : 0);
    for (const identifier of metadata.identifiers) insertFact.run(id, identifier.kind, identifier.value, identifier.text, identifier.page, 0, 0);
    for (const number of metadata.taxNumbers) insertFact.run(id, number.kind, number.value, number.value, number.page, 0, 0);
  }

  private upsertDocument(sourcePath: string, partNo: number, relativePath: string, now: string): number {
    const row = this.statements
      .get(
        `INSERT INTO documents (source_path, part_no, relative_path, status, created_at, updated_at) VALUES (?, ?, ?, 'failed', ?, ?)
         ON CONFLICT (source_path, part_no) DO UPDATE SET relative_path = excluded.relative_path
         RETURNING id`,
      )
      .get(sourcePath, partNo, relativePath, now, now) as { id: number };
    return row.id;
  }
}

function metadataValues(metadata: DocumentMetadata): [string, string | null, number | null, string | null, string | null, string | null, string | null, string | null, number, string | null] {
  return [metadata.title, metadata.collection, metadata.year, metadata.box, metadata.series, metadata.documentType, metadata.date, metadata.language, metadata.personalData ? 1 : 0, metadata.notes];
}
