/**
 * Which documents' PDFs wait for staff's corrections, what a rewrite needs to write them, and the
 * record of every rewrite (issue 25; schema migration 16). A document waits while its newest
 * correction (documents.corrections_seq, kept by corrections.ts) is newer than the newest its PDF
 * says (documents.pdf_corrections_seq, set by a rewrite or by a conversion handed the corrections);
 * a partial index holds exactly the documents that wait, so finding them never reads the library.
 *
 * A rewrite is recorded in two steps around the rename that puts the new file in place
 * (core/pipeline/apply-corrections.ts): `begin` before it (the checksum replaced and the new one),
 * `settle` after it (the catalog takes the new checksum). Between the two, and after a crash
 * there, fixity checks know the new file for the rewrite's (`unsettledSha256`), and the next
 * rewrite run settles the record by the file it finds.
 */
import type { CorrectedMetadata, TextSource } from '../model.js';
import type { Statements } from '../sqlite/statements.js';
import type { CorrectedIdentifier, Corrections } from './corrections.js';

/** A document whose PDF does not yet say all its corrections. */
export interface PendingPdf {
  id: number;
  outputPath: string;
  outputSha256: string;
  correctionsSeq: number;
  pdfCorrectionsSeq: number;
}

/** Everything a rewrite of one document's PDF writes, read at one moment. */
export interface RewritePlan {
  documentId: number;
  outputPath: string;
  outputSha256: string;
  outputBytes: number | null;
  /** The newest correction the rewritten PDF says. */
  seq: number;
  relativePath: string;
  /** Of the original the PDF was made from. */
  sourceSha256: string;
  /** The conversion settings' JSON (languages, PDF format). */
  settings: string | null;
  convertedAt: string | null;
  machine: { title: string; documentType: string | null; collection: string | null; year: number | null; date: string | null; series: string | null; box: string | null; notes: string | null };
  /** The machine's identifiers, as the PDF lists them (`kind value`). */
  identifiers: string[];
  /** Staff's corrections of the record (Corrections.pdfMetadata). */
  corrected: CorrectedMetadata;
  /** Every page whose text staff ever changed, with its text as shown now (the machine's again after a revert). */
  pages: Array<{ pageNo: number; pdfPage: number | null; text: string; textSource: TextSource }>;
}

export interface PdfRewrite {
  id: number;
  documentId: number;
  outputPath: string;
  correctionsSeq: number;
  fromSha256: string;
  fromBytes: number | null;
  toSha256: string;
  toBytes: number;
  runId: string | null;
  startedAt: string;
  finishedAt: string | null;
  outcome: 'written' | 'abandoned' | null;
}

const PENDING = `id, output_path AS outputPath, output_sha256 AS outputSha256, corrections_seq AS correctionsSeq, pdf_corrections_seq AS pdfCorrectionsSeq`;
// The WHERE is the partial index's own: SQLite uses documents_pdf_pending only for a query that says it.
const WAITING = 'corrections_seq > pdf_corrections_seq';
const REWRITE = `id, document_id AS documentId, output_path AS outputPath, corrections_seq AS correctionsSeq, from_sha256 AS fromSha256, from_bytes AS fromBytes,
  to_sha256 AS toSha256, to_bytes AS toBytes, run_id AS runId, started_at AS startedAt, finished_at AS finishedAt, outcome`;

export class PdfRewrites {
  constructor(
    private readonly statements: Statements,
    private readonly corrections: Corrections,
  ) {}

  /** Documents with a PDF that wait for corrections, after `afterId`, in id order. */
  pending(afterId: number, limit: number): PendingPdf[] {
    return this.statements
      .get(`SELECT ${PENDING} FROM documents WHERE ${WAITING} AND id > ? AND output_path IS NOT NULL AND output_sha256 IS NOT NULL ORDER BY id LIMIT ?`)
      .all(afterId, limit) as PendingPdf[];
  }

  pendingCount(): number {
    return this.statements.get(`SELECT COUNT(*) FROM documents WHERE ${WAITING} AND output_path IS NOT NULL AND output_sha256 IS NOT NULL`).pluck().get() as number;
  }

  /** Whether the document's PDF waits for corrections. */
  isPending(documentId: number): boolean {
    return this.statements.get(`SELECT 1 FROM documents WHERE id = ? AND ${WAITING} AND output_path IS NOT NULL`).get(documentId) !== undefined;
  }

  /** The newest correction of the document (0: none): what a copy made from its PDF as corrected is keyed by. */
  correctionsSeq(documentId: number): number {
    return (this.statements.get('SELECT corrections_seq FROM documents WHERE id = ?').pluck().get(documentId) as number | undefined) ?? 0;
  }

  /** What a rewrite of the document's PDF writes; undefined when it has no PDF. */
  plan(documentId: number): RewritePlan | undefined {
    return this.statements.transaction(() => {
      const row = this.statements
        .get(
          `SELECT id AS documentId, output_path AS outputPath, output_sha256 AS outputSha256, output_bytes AS outputBytes, corrections_seq AS seq,
             relative_path AS relativePath, sha256 AS sourceSha256, settings, converted_at AS convertedAt, source_path AS sourcePath, part_no AS partNo,
             title, document_type AS documentType, collection, year, doc_date AS date, series, box, notes
           FROM documents WHERE id = ? AND output_path IS NOT NULL AND output_sha256 IS NOT NULL`,
        )
        .get(documentId) as (Omit<RewritePlan, 'machine' | 'identifiers' | 'corrected' | 'pages'> & RewritePlan['machine'] & { sourcePath: string; partNo: number }) | undefined;
      if (!row) return undefined;
      const { sourcePath, partNo, title, documentType, collection, year, date, series, box, notes, ...plan } = row;
      const identifiers = (this.corrections.value(documentId, 'identifiers', null, false) as CorrectedIdentifier[]).map((entry) => `${entry.kind} ${entry.value}`);
      const pages = this.statements
        .get(
          `SELECT page_no AS pageNo, pdf_page AS pdfPage, text, text_source AS textSource FROM effective_pages
           WHERE document_id = ? AND page_no IN (SELECT page_no FROM corrections WHERE document_id = ? AND field = 'text') ORDER BY page_no`,
        )
        .all(documentId, documentId) as RewritePlan['pages'];
      return {
        ...plan,
        machine: { title: title ?? '', documentType, collection, year, date, series, box, notes },
        identifiers,
        corrected: this.corrections.pdfMetadata(sourcePath)[partNo] ?? {},
        pages,
      };
    });
  }

  /** Records a rewrite about to be put in place; its id. */
  begin(entry: Omit<PdfRewrite, 'id' | 'finishedAt' | 'outcome'>): number {
    return Number(
      this.statements
        .get(
          `INSERT INTO pdf_rewrites (document_id, output_path, corrections_seq, from_sha256, from_bytes, to_sha256, to_bytes, run_id, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(entry.documentId, entry.outputPath, entry.correctionsSeq, entry.fromSha256, entry.fromBytes, entry.toSha256, entry.toBytes, entry.runId, entry.startedAt).lastInsertRowid,
    );
  }

  /**
   * Ends a rewrite's record. `written`: the new file is in place, and the catalog takes its
   * checksum and the corrections it says, if the document's PDF is still the one it replaced
   * (false otherwise, and nothing but the record changes). `abandoned`: the old file stayed.
   */
  settle(id: number, outcome: 'written' | 'abandoned', now = new Date()): boolean {
    return this.statements.transaction(() => {
      const rewrite = this.get(id);
      if (!rewrite || rewrite.finishedAt !== null) return false;
      let taken = true;
      if (outcome === 'written') {
        taken =
          this.statements
            .get(
              `UPDATE documents SET output_sha256 = ?, output_bytes = ?, pdf_corrections_seq = MAX(pdf_corrections_seq, ?)
               WHERE id = ? AND output_path = ? AND output_sha256 = ?`,
            )
            .run(rewrite.toSha256, rewrite.toBytes, rewrite.correctionsSeq, rewrite.documentId, rewrite.outputPath, rewrite.fromSha256).changes === 1;
      }
      this.statements.get('UPDATE pdf_rewrites SET finished_at = ?, outcome = ? WHERE id = ?').run(now.toISOString(), taken ? outcome : 'abandoned', id);
      return taken;
    });
  }

  get(id: number): PdfRewrite | undefined {
    return this.statements.get(`SELECT ${REWRITE} FROM pdf_rewrites WHERE id = ?`).get(id) as PdfRewrite | undefined;
  }

  /** Rewrites begun and not settled (a crash between the rename and the catalog, or during either). */
  unsettled(): PdfRewrite[] {
    return this.statements.get(`SELECT ${REWRITE} FROM pdf_rewrites WHERE finished_at IS NULL ORDER BY id`).all() as PdfRewrite[];
  }

  /** The checksum of a rewrite of the document's PDF begun and not yet settled, if any: that file is the rewrite's, not damage. */
  unsettledSha256(documentId: number): string | null {
    return (this.statements.get('SELECT to_sha256 FROM pdf_rewrites WHERE document_id = ? AND finished_at IS NULL ORDER BY id DESC LIMIT 1').pluck().get(documentId) as string | undefined) ?? null;
  }

  /** Every rewrite of the document's PDF, newest first. */
  history(documentId: number): PdfRewrite[] {
    return this.statements.get(`SELECT ${REWRITE} FROM pdf_rewrites WHERE document_id = ? ORDER BY id DESC`).all(documentId) as PdfRewrite[];
  }
}
