/**
 * The catalog: the source of truth for what the library holds (SQLite through better-sqlite3).
 * Every change to a document and the index update it calls for are written in one transaction
 * (the outbox), so the search index can lag or be rebuilt but never silently diverge.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError, type ErrorRecord } from '../errors.js';
import type { ConvertedDocument, DocumentMetadata, MediaType, TextSource } from '../model.js';
import { RedactionMarks } from './redaction-marks.js';
import { MIGRATIONS } from './schema.js';
import { Statements } from '../sqlite-statements.js';

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

export interface OutboxEntry {
  id: number;
  documentId: number;
  op: 'upsert' | 'delete';
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

/** The hot-folder watcher's hold on one inbox file, from taking it to settling its original. */
export interface InboxClaim {
  inboxPath: string;
  relativePath: string;
  sha256: string | null;
  sizeBytes: number | null;
  /**
   * working: being converted (redone after a crash); retry: failed, tried again at retryAt;
   * converted: in the catalog, the original still to move; failing: failed for good, the
   * original still to move to failed/.
   */
  state: 'working' | 'retry' | 'converted' | 'failing';
  finalPath: string | null;
  documentId: number | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  retryAt: string | null;
}

/** A date, identifier or taxpayer number found in a document. */
export interface DocumentFact {
  kind: string;
  value: string;
  text: string;
  pageNo: number | null;
  main: boolean;
}

/** One run as status lists it. */
export interface RunRecord {
  runId: string;
  command: string;
  startedAt: string;
  finishedAt: string | null;
  stoppedBy: string | null;
  documents: number;
  indexed: number;
  skipped: number;
  failed: number;
  pages: number;
  remaining: number;
  report: string | null;
}

export interface CatalogTotals {
  documents: number;
  done: number;
  failed: number;
  pages: number;
  pendingIndexUpdates: number;
}

/** A document's files as fixity checks compare them: the PDF, and the original it was made from. */
export interface FixityRecord {
  id: number;
  status: 'done' | 'failed';
  sourcePath: string;
  /** The part of a batch scan (its first part stands for the batch's original). */
  partNo: number;
  /** Of the original the PDF was made from. */
  sha256: string | null;
  /** Relative to the library. */
  outputPath: string;
  outputSha256: string;
  outputBytes: number | null;
}

/** One fixity pass over the library: it may take several runs, each resuming after `lastDocumentId`. */
export interface VerifyPass {
  id: number;
  startedAt: string;
  originals: boolean;
  lastDocumentId: number;
  documents: number;
  files: number;
  ok: number;
  bytes: number;
  runs: number;
}

export type FindingKind = 'missing' | 'changed' | 'unreadable' | 'unexpected';

/** A file that is not what the catalog says. */
export interface FixityFinding {
  kind: FindingKind;
  file: 'pdf' | 'original';
  documentId: number | null;
  /** A PDF's path relative to the library; an original's absolute path. */
  path: string;
  expectedSha256: string | null;
  actualSha256: string | null;
  message: string | null;
}

/** What a pass has done since its last checkpoint (counts are added to the pass's). */
export interface VerifyCheckpoint {
  passId: number;
  lastDocumentId: number;
  documents: number;
  files: number;
  ok: number;
  bytes: number;
  findings: readonly FixityFinding[];
}

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

const DOCUMENT_COLUMNS = `
  id, source_path AS sourcePath, relative_path AS relativePath, media_type AS mediaType, sha256, settings,
  output_path AS outputPath, status, title, collection, year, box, series, document_type AS documentType, doc_date AS date,
  language, personal_data AS personalData, notes, page_count AS pageCount,
  mean_confidence AS meanConfidence, error_code AS errorCode, error_message AS errorMessage,
  failed_sha256 AS failedSha256, attempts, part_no AS partNo, part_count AS partCount, source_first_page AS sourceFirstPage,
  source_last_page AS sourceLastPage, separator_page AS separatorPage, separator_text AS separatorText`;

const CLAIM_COLUMNS = `
  inbox_path AS inboxPath, relative_path AS relativePath, sha256, size_bytes AS sizeBytes, state,
  final_path AS finalPath, document_id AS documentId, attempts, error_code AS errorCode, error_message AS errorMessage,
  retry_at AS retryAt`;

const FIXITY_COLUMNS = `id, status, source_path AS sourcePath, part_no AS partNo, sha256, output_path AS outputPath, output_sha256 AS outputSha256, output_bytes AS outputBytes`;
/** Bytes per database page: big enough that pages of OCR text (1–5 KB) share them with little left over. */
const PAGE_SIZE = 16_384;
const PASS_COLUMNS = `id, started_at AS startedAt, originals, last_document_id AS lastDocumentId, documents, files, ok, bytes, runs`;
/** Kinds of document_facts that are people's or companies' numbers, never handed on in an export (core/privacy/personal-numbers.ts). */
const TAX_NUMBER_KINDS = `('cpf', 'cnpj', 'cuit', 'rg', 'pis', 'titulo')`;

export class Catalog {
  /** Statements prepared once: a rebuild reads a million pages through the same few. */
  private readonly statements: Statements;
  private marks: RedactionMarks | undefined;

  private constructor(private readonly db: Database.Database) {
    this.statements = new Statements(db);
  }

  private prepare(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  static open(file: string): Catalog {
    let db: Database.Database | undefined;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file, { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return new Catalog(db);
    } catch (error) {
      db?.close();
      if (error instanceof AppError) throw error;
      const message = (error as Error).message;
      if (/not a database|malformed|corrupt/i.test(message)) {
        throw new AppError('CATALOG_CORRUPT', `The catalog ${file} is damaged (${message}); restore it from a backup or rebuild the library.`, { cause: error });
      }
      throw new AppError('LIBRARY_UNUSABLE', `The catalog ${file} cannot be opened (${message}); check the folder's permissions and free space.`, { cause: error });
    }
  }

  close(): void {
    this.db.close();
  }

  /** The archivists' review of the documents' redacted copies. */
  redactionMarks(): RedactionMarks {
    return (this.marks ??= new RedactionMarks(this.db));
  }

  /** The original's document (its first part, when it was a batch cut into several). */
  findBySource(sourcePath: string): CatalogDocument | undefined {
    return this.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE source_path = ? ORDER BY part_no LIMIT 1`).get(sourcePath) as CatalogDocument | undefined;
  }

  /** Every document made from the original, in part order. */
  partsOf(sourcePath: string): CatalogDocument[] {
    return this.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE source_path = ? ORDER BY part_no`).all(sourcePath) as CatalogDocument[];
  }

  getDocument(id: number): CatalogDocument | undefined {
    return this.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = ?`).get(id) as CatalogDocument | undefined;
  }

  /** True when another original already owns this output path. */
  isOutputTaken(outputPath: string, sourcePath: string): boolean {
    const row = this.prepare('SELECT source_path AS sourcePath FROM documents WHERE output_path = ?').get(outputPath) as { sourcePath: string } | undefined;
    return row !== undefined && row.sourcePath !== sourcePath;
  }

  facts(documentId: number): DocumentFact[] {
    const rows = this.prepare('SELECT kind, value, text, page_no AS pageNo, main FROM document_facts WHERE document_id = ? ORDER BY rowid').all(documentId) as Array<Omit<DocumentFact, 'main'> & { main: number }>;
    return rows.map((fact) => ({ ...fact, main: fact.main === 1 }));
  }

  pages(documentId: number): CatalogPage[] {
    return this.db
      .prepare('SELECT page_no AS pageNo, pdf_page AS pdfPage, text, confidence, text_source AS textSource FROM pages WHERE document_id = ? ORDER BY page_no')
      .all(documentId) as CatalogPage[];
  }

  /** A converted document with this original's checksum, if the library holds one. */
  findDoneBySha256(sha256: string): CatalogDocument | undefined {
    return this.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE sha256 = ? AND status = 'done' ORDER BY id LIMIT 1`).get(sha256) as CatalogDocument | undefined;
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
    return this.db.transaction(() => {
      const before = this.partsOf(record.sourcePath);
      const ids: number[] = [];
      for (const { outputPath, document } of record.documents) {
        const confidences = document.pages.map((p) => p.confidence).filter((c): c is number => c !== null);
        const meanConfidence = confidences.length > 0 ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null;
        // A renamed part may take a path an earlier part of the same original holds: free it first.
        this.prepare('UPDATE documents SET output_path = NULL WHERE source_path = ? AND output_path = ? AND part_no <> ?').run(record.sourcePath, outputPath, document.partNo);
        const id = this.upsertDocument(record.sourcePath, document.partNo, record.relativePath, now);
        this.db
          .prepare(
            `UPDATE documents SET media_type = ?, sha256 = ?, size_bytes = ?, settings = ?, output_path = ?, output_sha256 = ?,
               output_bytes = ?, title = ?, collection = ?, year = ?, box = ?, series = ?, document_type = ?, doc_date = ?, language = ?,
               personal_data = ?, notes = ?, page_count = ?, mean_confidence = ?, status = 'done',
               error_code = NULL, error_message = NULL, failed_sha256 = NULL, attempts = 0, updated_at = ?, converted_at = ?,
               part_count = ?, source_first_page = ?, source_last_page = ?, separator_page = ?, separator_text = ?
             WHERE id = ?`,
          )
          .run(
            record.mediaType, record.sha256, record.sizeBytes, record.settings, outputPath, document.outputSha256,
            document.outputBytes, ...metadataValues(document.metadata), document.pages.length, meanConfidence, now, now,
            partCount, document.sourcePages?.first ?? null, document.sourcePages?.last ?? null, document.separator?.page ?? null, document.separator?.text ?? null, id,
          );
        this.replacePages(id, document);
        this.enqueue(id, 'upsert', now);
        ids.push(id);
      }
      for (const gone of before.filter((doc) => doc.partNo > partCount)) {
        this.prepare('DELETE FROM documents WHERE id = ?').run(gone.id);
        this.enqueue(gone.id, 'delete', now);
      }
      if (claimedFrom !== undefined) {
        this.prepare(`UPDATE inbox_claims SET state = 'converted', document_id = ?, updated_at = ? WHERE inbox_path = ?`).run(ids[0], now, claimedFrom);
      }
      const kept = new Set(record.documents.map((d) => d.outputPath));
      const staleOutputs = before.map((doc) => doc.outputPath).filter((p): p is string => p !== null && !kept.has(p));
      return { ids, staleOutputs };
    })();
  }

  private replacePages(id: number, document: ConvertedDocument): void {
    this.prepare('DELETE FROM pages WHERE document_id = ?').run(id);
    const insertPage = this.prepare(
      `INSERT INTO pages (document_id, page_no, pdf_page, text, confidence, text_source, width_pt, height_pt, dpi, dpi_assumed, rotation, skew_degrees, blank, cleaning)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const page of document.pages) {
      const c = page.corrections;
      insertPage.run(id, page.pageNo, page.pdfPageNo, page.text, page.confidence, page.textSource, page.widthPt, page.heightPt, page.dpi, page.dpiAssumed ? 1 : 0, c?.rotation ?? null, c?.skewDegrees ?? null, c?.blank ? 1 : 0, c?.cleaning?.join(',') ?? null);
    }
    this.prepare('DELETE FROM document_facts WHERE document_id = ?').run(id);
    const insertFact = this.prepare('INSERT INTO document_facts (document_id, kind, value, text, page_no, main) VALUES (?, ?, ?, ?, ?, ?)');
    const { metadata } = document;
    for (const date of metadata.dates) insertFact.run(id, 'date', date.iso, date.text, date.page, date.main ? 1 : 0);
    for (const identifier of metadata.identifiers) insertFact.run(id, identifier.kind, identifier.value, identifier.text, identifier.page, 0);
    for (const number of metadata.taxNumbers) insertFact.run(id, number.kind, number.value, number.value, number.page, 0);
  }

  /**
   * Records that the latest attempt at an original failed. An earlier good version, if any,
   * stays in the library and the index: nothing that was found before is lost.
   */
  recordFailure(record: FailureRecord, claimedFrom?: string): number {
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const id = this.upsertDocument(record.sourcePath, 1, record.relativePath, now);
      this.db
        .prepare(
          `UPDATE documents SET status = 'failed', error_code = ?, error_message = ?, failed_sha256 = ?,
             media_type = COALESCE(media_type, ?), size_bytes = COALESCE(size_bytes, ?), attempts = attempts + 1, updated_at = ?
           WHERE id = ?`,
        )
        .run(record.error.code, record.error.message, record.sha256, record.mediaType, record.sizeBytes, now, id);
      if (claimedFrom !== undefined) {
        this.prepare(`UPDATE inbox_claims SET state = 'failing', document_id = ?, updated_at = ? WHERE inbox_path = ?`).run(id, now, claimedFrom);
      }
      return id;
    })();
  }

  recordRun(run: RunRecord): void {
    this.db
      .prepare(
        `INSERT INTO runs (run_id, command, started_at, finished_at, stopped_by, documents, indexed, skipped, failed, pages, remaining, report)
         VALUES (@runId, @command, @startedAt, @finishedAt, @stoppedBy, @documents, @indexed, @skipped, @failed, @pages, @remaining, @report)
         ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, stopped_by = excluded.stopped_by, documents = excluded.documents,
           indexed = excluded.indexed, skipped = excluded.skipped, failed = excluded.failed, pages = excluded.pages, remaining = excluded.remaining, report = excluded.report`,
      )
      .run(run);
  }

  recentRuns(limit: number): RunRecord[] {
    return this.db
      .prepare(
        `SELECT run_id AS runId, command, started_at AS startedAt, finished_at AS finishedAt, stopped_by AS stoppedBy, documents, indexed, skipped,
           failed, pages, remaining, report FROM runs ORDER BY started_at DESC LIMIT ?`,
      )
      .all(limit) as RunRecord[];
  }

  /** Documents whose last attempt failed, with where their original lies: what `acervo retry --failed` takes again. */
  failedDocuments(): Array<{ id: number; sourcePath: string; relativePath: string; errorCode: string | null }> {
    return this.prepare(`SELECT id, source_path AS sourcePath, relative_path AS relativePath, error_code AS errorCode FROM documents WHERE status = 'failed' ORDER BY id`).all() as Array<{
      id: number;
      sourcePath: string;
      relativePath: string;
      errorCode: string | null;
    }>;
  }

  claim(inboxPath: string): InboxClaim | undefined {
    return this.prepare(`SELECT ${CLAIM_COLUMNS} FROM inbox_claims WHERE inbox_path = ?`).get(inboxPath) as InboxClaim | undefined;
  }

  claims(): InboxClaim[] {
    return this.prepare(`SELECT ${CLAIM_COLUMNS} FROM inbox_claims ORDER BY inbox_path`).all() as InboxClaim[];
  }

  saveClaim(claim: InboxClaim): void {
    this.db
      .prepare(
        `INSERT INTO inbox_claims (inbox_path, relative_path, sha256, size_bytes, state, final_path, document_id, attempts, error_code, error_message, retry_at, updated_at)
         VALUES (@inboxPath, @relativePath, @sha256, @sizeBytes, @state, @finalPath, @documentId, @attempts, @errorCode, @errorMessage, @retryAt, @updatedAt)
         ON CONFLICT (inbox_path) DO UPDATE SET relative_path = excluded.relative_path, sha256 = excluded.sha256, size_bytes = excluded.size_bytes,
           state = excluded.state, final_path = excluded.final_path, document_id = excluded.document_id,
           attempts = excluded.attempts, error_code = excluded.error_code, error_message = excluded.error_message, retry_at = excluded.retry_at,
           updated_at = excluded.updated_at`,
      )
      .run({ ...claim, updatedAt: new Date().toISOString() });
  }

  deleteClaim(inboxPath: string): void {
    this.prepare('DELETE FROM inbox_claims WHERE inbox_path = ?').run(inboxPath);
  }

  /** True when a document, or a claim in flight, already means to keep an original at this path. */
  isSourceTaken(sourcePath: string): boolean {
    return (
      this.prepare('SELECT 1 FROM documents WHERE source_path = ?').get(sourcePath) !== undefined ||
      this.prepare('SELECT 1 FROM inbox_claims WHERE final_path = ?').get(sourcePath) !== undefined
    );
  }

  /** The oldest updates not set aside, those that failed fewer times first: one that keeps failing waits behind the rest. */
  pendingIndexUpdates(limit: number): OutboxEntry[] {
    return this.prepare('SELECT id, document_id AS documentId, op FROM outbox WHERE refused_at IS NULL ORDER BY attempts, id LIMIT ?').all(limit) as OutboxEntry[];
  }

  completeIndexUpdates(ids: readonly number[]): void {
    const remove = this.prepare('DELETE FROM outbox WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => remove.run(id)))();
  }

  /** Updates that failed; `refused`: the backend will never take them as they are, so they are set aside. */
  failIndexUpdates(ids: readonly number[], message: string, refused = false): void {
    const mark = this.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, refused_at = ? WHERE id = ?');
    const at = refused ? new Date().toISOString() : null;
    this.db.transaction(() => ids.forEach((id) => mark.run(message, at, id)))();
  }

  /** Puts the updates set aside back in line (after the cause was fixed); how many. */
  retryRefusedIndexUpdates(): number {
    return this.prepare('UPDATE outbox SET refused_at = NULL WHERE refused_at IS NOT NULL').run().changes;
  }

  /** Ids of converted documents (with a PDF) after `afterId`, in order: a rebuild reads the catalog by these. */
  convertedDocumentIds(afterId: number, limit: number): number[] {
    return (this.prepare('SELECT id FROM documents WHERE output_path IS NOT NULL AND id > ? ORDER BY id LIMIT ?').all(afterId, limit) as Array<{ id: number }>).map((row) => row.id);
  }

  /** The newest outbox entry's id (0 when empty): updates up to it are covered by a rebuild started now. */
  outboxHighWater(): number {
    return (this.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM outbox').get() as { id: number }).id;
  }

  completeIndexUpdatesUpTo(id: number): void {
    this.prepare('DELETE FROM outbox WHERE id <= ?').run(id);
  }

  /** Updates waiting (set-aside ones included in `pending`, and counted in `refused`), the most attempts, the latest error. */
  indexBacklog(): { pending: number; refused: number; attempts: number; lastError: string | null } {
    const row = this.prepare('SELECT COUNT(*) AS pending, COUNT(refused_at) AS refused, COALESCE(MAX(attempts), 0) AS attempts FROM outbox').get() as { pending: number; refused: number; attempts: number };
    const failed = this.prepare('SELECT last_error AS lastError FROM outbox WHERE last_error IS NOT NULL ORDER BY id DESC LIMIT 1').get() as { lastError: string } | undefined;
    return { ...row, lastError: failed?.lastError ?? null };
  }

  totals(): CatalogTotals {
    return this.db
      .prepare(
        `SELECT
           (SELECT COUNT(*) FROM documents) AS documents,
           (SELECT COUNT(*) FROM documents WHERE status = 'done') AS done,
           (SELECT COUNT(*) FROM documents WHERE status = 'failed') AS failed,
           (SELECT COUNT(*) FROM pages) AS pages,
           (SELECT COUNT(*) FROM outbox) AS pendingIndexUpdates`,
      )
      .get() as CatalogTotals;
  }

  // --- fixity (acervo verify) ---

  /** Documents that have a PDF, after `afterId`, in id order: what a fixity pass walks through. */
  fixityRecordsAfter(afterId: number, limit: number): FixityRecord[] {
    return this.db
      .prepare(`SELECT ${FIXITY_COLUMNS} FROM documents WHERE output_path IS NOT NULL AND output_sha256 IS NOT NULL AND id > ? ORDER BY id LIMIT ?`)
      .all(afterId, limit) as FixityRecord[];
  }

  fixityRecord(id: number): FixityRecord | undefined {
    return this.prepare(`SELECT ${FIXITY_COLUMNS} FROM documents WHERE id = ? AND output_path IS NOT NULL AND output_sha256 IS NOT NULL`).get(id) as FixityRecord | undefined;
  }

  /** How much a fixity pass has left after `afterId` (PDF bytes only; originals are not counted). */
  fixityRemaining(afterId: number): { documents: number; bytes: number } {
    return this.db
      .prepare('SELECT COUNT(*) AS documents, COALESCE(SUM(output_bytes), 0) AS bytes FROM documents WHERE output_path IS NOT NULL AND output_sha256 IS NOT NULL AND id > ?')
      .get(afterId) as { documents: number; bytes: number };
  }

  /** Every PDF path the catalog owns (relative to the library), whatever the document's status. */
  ownedOutputPaths(): Set<string> {
    return new Set((this.prepare('SELECT output_path AS outputPath FROM documents WHERE output_path IS NOT NULL').all() as Array<{ outputPath: string }>).map((row) => row.outputPath));
  }

  /** The pass the last verify left unfinished, if any. */
  unfinishedVerifyPass(): VerifyPass | undefined {
    const row = this.prepare(`SELECT ${PASS_COLUMNS} FROM verify_passes WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1`).get() as (Omit<VerifyPass, 'originals'> & { originals: number }) | undefined;
    return row ? { ...row, originals: row.originals === 1 } : undefined;
  }

  verifyPass(passId: number): VerifyPass | undefined {
    const row = this.prepare(`SELECT ${PASS_COLUMNS} FROM verify_passes WHERE id = ?`).get(passId) as (Omit<VerifyPass, 'originals'> & { originals: number }) | undefined;
    return row ? { ...row, originals: row.originals === 1 } : undefined;
  }

  /** Starts a new pass; earlier passes (and their findings) are dropped: their reports keep them. */
  startVerifyPass(options: { originals: boolean }): VerifyPass {
    const startedAt = new Date().toISOString();
    return this.db.transaction(() => {
      this.prepare('DELETE FROM verify_passes').run();
      const { id } = this.prepare('INSERT INTO verify_passes (started_at, originals) VALUES (?, ?) RETURNING id').get(startedAt, options.originals ? 1 : 0) as { id: number };
      return { id, startedAt, originals: options.originals, lastDocumentId: 0, documents: 0, files: 0, ok: 0, bytes: 0, runs: 0 };
    })();
  }

  /** Counts one more run working on the pass. */
  joinVerifyPass(passId: number): void {
    this.prepare('UPDATE verify_passes SET runs = runs + 1 WHERE id = ?').run(passId);
  }

  /** Records progress: what was checked up to a document, and what was found, in one transaction. */
  checkpointVerifyPass(checkpoint: VerifyCheckpoint): void {
    const insert = this.prepare(
      `INSERT INTO verify_findings (pass_id, kind, file, document_id, path, expected_sha256, actual_sha256, message)
       VALUES (@passId, @kind, @file, @documentId, @path, @expectedSha256, @actualSha256, @message)`,
    );
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE verify_passes SET last_document_id = MAX(last_document_id, ?), documents = documents + ?, files = files + ?, ok = ok + ?, bytes = bytes + ? WHERE id = ?')
        .run(checkpoint.lastDocumentId, checkpoint.documents, checkpoint.files, checkpoint.ok, checkpoint.bytes, checkpoint.passId);
      for (const finding of checkpoint.findings) insert.run({ passId: checkpoint.passId, ...finding });
    })();
  }

  finishVerifyPass(passId: number, outcome: 'completed' | 'abandoned'): void {
    this.prepare('UPDATE verify_passes SET finished_at = ?, outcome = ? WHERE id = ?').run(new Date().toISOString(), outcome, passId);
  }

  verifyFindings(passId: number): FixityFinding[] {
    return this.db
      .prepare(
        `SELECT kind, file, document_id AS documentId, path, expected_sha256 AS expectedSha256, actual_sha256 AS actualSha256, message
         FROM verify_findings WHERE pass_id = ? ORDER BY rowid`,
      )
      .all(passId) as FixityFinding[];
  }

  // --- export ---

  /** Collections that hold converted documents with a PDF, with how many. */
  collections(): Array<{ collection: string; documents: number }> {
    return this.db
      .prepare(`SELECT collection, COUNT(*) AS documents FROM documents WHERE status = 'done' AND output_path IS NOT NULL AND collection IS NOT NULL GROUP BY collection ORDER BY collection`)
      .all() as Array<{ collection: string; documents: number }>;
  }

  /** The converted documents of a collection, by their PDF's path. */
  exportRecords(collection: string): ExportRecord[] {
    return this.db
      .prepare(
        `SELECT d.id, d.output_path AS outputPath, d.output_sha256 AS outputSha256, d.output_bytes AS outputBytes, d.source_path AS sourcePath,
           d.relative_path AS relativePath, d.sha256, d.title, d.collection, d.year, d.box, d.series, d.document_type AS documentType,
           d.doc_date AS date, d.language, d.notes, (SELECT COUNT(p.pdf_page) FROM pages p WHERE p.document_id = d.id) AS pdfPages
         FROM documents d
         WHERE d.status = 'done' AND d.output_path IS NOT NULL AND d.output_sha256 IS NOT NULL AND d.collection = ?
         ORDER BY d.output_path`,
      )
      .all(collection) as ExportRecord[];
  }

  /** A document's identifiers (process, act numbers…) as normalised: `processo 1873/1987`. Never its taxpayer numbers. */
  identifiers(documentId: number): string[] {
    return (
      this.prepare(`SELECT kind || ' ' || value AS identifier FROM document_facts WHERE document_id = ? AND kind <> 'date' AND kind NOT IN ${TAX_NUMBER_KINDS}
         GROUP BY kind, value ORDER BY MIN(rowid)`).all(documentId) as Array<{
        identifier: string;
      }>
    ).map((row) => row.identifier);
  }

  private upsertDocument(sourcePath: string, partNo: number, relativePath: string, now: string): number {
    const row = this.db
      .prepare(
        `INSERT INTO documents (source_path, part_no, relative_path, status, created_at, updated_at) VALUES (?, ?, ?, 'failed', ?, ?)
         ON CONFLICT (source_path, part_no) DO UPDATE SET relative_path = excluded.relative_path
         RETURNING id`,
      )
      .get(sourcePath, partNo, relativePath, now, now) as { id: number };
    return row.id;
  }

  private enqueue(documentId: number, op: OutboxEntry['op'], now: string): void {
    this.prepare('INSERT INTO outbox (document_id, op, created_at) VALUES (?, ?, ?)').run(documentId, op, now);
  }
}

function metadataValues(metadata: DocumentMetadata): [string, string | null, number | null, string | null, string | null, string | null, string | null, string | null, number, string | null] {
  return [metadata.title, metadata.collection, metadata.year, metadata.box, metadata.series, metadata.documentType, metadata.date, metadata.language, metadata.personalData ? 1 : 0, metadata.notes];
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new AppError('LIBRARY_UNUSABLE', `The catalog was written by a newer Acervo (schema ${version}); upgrade Acervo to use this library.`);
  }
  if (version === MIGRATIONS.length) return;
  // Off while tables are rebuilt (dropping the old one would cascade to its pages), then checked:
  // the pragma cannot change inside a transaction.
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (let v = version; v < MIGRATIONS.length; v++) {
        db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
      }
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new AppError('CATALOG_CORRUPT', `Bringing the catalog up to date left ${broken.length} rows pointing nowhere; nothing was changed.`);
    })();
  } finally {
    db.pragma('foreign_keys = ON');
  }
  // A migration that rebuilt a big table (9: pages) left its old pages free inside the file: give
  // them back once, now (VACUUM cannot run inside the migration's transaction), and move to 16 KB
  // pages on the way when no other process has the catalog open (the page size of a WAL database
  // changes only outside WAL).
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (free > 1000 && free > 0.25 * (db.pragma('page_count', { simple: true }) as number)) {
    let resized = false;
    try {
      if (db.pragma('journal_mode = DELETE', { simple: true }) === 'delete') {
        db.pragma(`page_size = ${PAGE_SIZE}`);
        resized = true;
      }
    } catch {
      // Busy: another process has it open. Vacuumed at the page size it has.
    }
    db.exec('VACUUM');
    if (resized) db.pragma('journal_mode = WAL');
  }
}
