/**
 * The catalog: the source of truth for what the library holds (SQLite through better-sqlite3).
 * Every change to a document and the index update it calls for are written in one transaction
 * (the outbox), so the search index can lag or be rebuilt but never silently diverge.
 *
 * One connection, one facade; the work is done per concern, as the callers use it:
 *
 *     documents.ts       documents, pages and facts: recording conversions and failures, reading them back
 *     index-outbox.ts    the index updates waiting, and what a rebuild reads
 *     inbox-claims.ts    the hot-folder watcher's claims on inbox files
 *     fixity-passes.ts   acervo verify's passes, checkpoints and findings
 *     runs.ts            every run, for status
 *     collections.ts     collections, and what an export hands on
 *     redaction-marks.ts the archivists' review of redacted copies
 *     corrections.ts     archive staff's corrections and their history, laid over the machine's values
 *     pdf-rewrites.ts    which PDFs wait for corrections, and every PDF written again from them
 *     bulk-changes.ts    corrections made for a whole selection at once (bulk-selection.ts reads it)
 *     review-queue.ts    what the machine was unsure of, for archive staff (rules: review-rules.ts),
 *                        and their decisions on it (review-decisions.ts)
 *
 * Opening, migrating (schema.ts) and translating SQLite's errors is core/sqlite/'s, shared with
 * the embedded search index and the access log: every statement and transaction of these modules
 * goes through one Statements, which turns a failure (disk full, read-only, locked, damaged) into
 * the catalog's AppError.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from '../sqlite/database.js';
import { runMigrations } from '../sqlite/migrations.js';
import { CATALOG_ROLE } from '../sqlite/sqlite-errors.js';
import { Statements } from '../sqlite/statements.js';
import { BulkChanges } from './bulk-changes.js';
import { Collections } from './collections.js';
import { Corrections } from './corrections.js';
import { ReviewDecisions } from './review-decisions.js';
import { ReviewQueue } from './review-queue.js';
import { CatalogDocuments, type ConvertedRecord, type FailureRecord } from './documents.js';
import { FixityPasses, type VerifyCheckpoint } from './fixity-passes.js';
import { InboxClaims, type InboxClaim } from './inbox-claims.js';
import { IndexOutbox } from './index-outbox.js';
import { PortalRecords } from './portal-records.js';
import { RedactionMarks } from './redaction-marks.js';
import { Runs, type RunRecord } from './runs.js';
import { PdfRewrites } from './pdf-rewrites.js';
import { MIGRATIONS } from './schema.js';

export type { ApplyResult, BulkChange, BulkConflict, BulkSelection, RevertResult, Superseded } from './bulk-changes.js';
export type { BulkDocument, BulkField, BulkSummary, BulkValues } from './bulk-selection.js';
export { BULK_FIELDS } from './bulk-selection.js';
export type { Conflict, Correction, CorrectionField, CorrectedIdentifier, DocumentField, Edit, FieldValue, SaveResult } from './corrections.js';
export { DOCUMENT_FIELDS } from './corrections.js';
export type { ReviewDecision } from './review-decisions.js';
export type { ReviewCounts, ReviewDetails, ReviewFilter, ReviewItem, ReviewOverview, ReviewPage, ReviewScope } from './review-queue.js';
export { REVIEW_REASONS, isReviewReason, type ReviewReason } from './review-rules.js';
export type { CatalogDocument, CatalogPage, CatalogTotals, ConvertedRecord, DocumentFact, FailureRecord, RecordedConversion } from './documents.js';
export type { ExportRecord } from './collections.js';
export type { FindingKind, FixityFinding, FixityRecord, VerifyCheckpoint, VerifyPass } from './fixity-passes.js';
export type { InboxClaim } from './inbox-claims.js';
export type { OutboxEntry } from './index-outbox.js';
export type { RunRecord } from './runs.js';
export type { PdfRewrite, PendingPdf, RewritePlan } from './pdf-rewrites.js';

/** Bytes per database page: big enough that pages of OCR text (1–5 KB) share them with little left over. */
const PAGE_SIZE = 16_384;

export class Catalog {
  private readonly documents: CatalogDocuments;
  private readonly outbox: IndexOutbox;
  private readonly inbox: InboxClaims;
  private readonly fixity: FixityPasses;
  private readonly runs: Runs;
  private readonly collectionRecords: Collections;
  private readonly marks: RedactionMarks;
  private readonly correctionRecords: Corrections;
  private readonly rewrites: PdfRewrites;
  private readonly bulk: BulkChanges;
  private readonly reviewQueue: ReviewQueue;
  private readonly decisions: ReviewDecisions;
  private readonly portalRecords: PortalRecords;

  private constructor(private readonly db: Database.Database) {
    // Statements prepared once, shared by every concern: a rebuild reads a million pages through the same few.
    const statements = new Statements(db, CATALOG_ROLE);
    this.outbox = new IndexOutbox(statements);
    this.inbox = new InboxClaims(statements);
    this.reviewQueue = new ReviewQueue(statements);
    this.decisions = new ReviewDecisions(statements, this.reviewQueue);
    this.correctionRecords = new Corrections(statements, this.outbox, this.reviewQueue);
    this.bulk = new BulkChanges(statements, this.outbox, this.correctionRecords, this.reviewQueue);
    this.documents = new CatalogDocuments(statements, this.outbox, this.inbox, this.correctionRecords, this.reviewQueue, this.decisions);
    this.fixity = new FixityPasses(statements);
    this.runs = new Runs(statements);
    this.collectionRecords = new Collections(statements);
    this.marks = new RedactionMarks(statements);
    this.rewrites = new PdfRewrites(statements, this.correctionRecords);
    this.portalRecords = new PortalRecords(statements);
  }

  static open(file: string): Catalog {
    const db = openDatabase(file, {
      role: CATALOG_ROLE,
      busyTimeoutMs: 10_000,
      foreignKeys: true,
      schema: (opened) => runMigrations(opened, MIGRATIONS, { role: CATALOG_ROLE, pageSize: PAGE_SIZE }),
    });
    return new Catalog(db);
  }

  close(): void {
    this.db.close();
  }

  /** Archive staff's corrections of documents and pages, and their history. */
  corrections(): Corrections {
    return this.correctionRecords;
  }

  /** The PDFs waiting for corrections, and every PDF written again from them. */
  pdfRewrites(): PdfRewrites {
    return this.rewrites;
  }

  /** Corrections of a whole selection at once, and their history. */
  bulkChanges(): BulkChanges {
    return this.bulk;
  }

  /** What the machine was unsure of, listed for archive staff, and how much is left. */
  review(): ReviewQueue {
    return this.reviewQueue;
  }

  /** Archive staff's decisions on the review queue (accepting the machine's reading), and their history. */
  reviewDecisions(): ReviewDecisions {
    return this.decisions;
  }

  /** The archivists' review of the documents' redacted copies. */
  redactionMarks(): RedactionMarks {
    return this.marks;
  }

  /** The public portal's ids and the documents withheld from it (issue 26). */
  portal(): PortalRecords {
    return this.portalRecords;
  }

  // --- documents and pages (documents.ts) ---
  findBySource(sourcePath: string) { return this.documents.findBySource(sourcePath); }
  partsOf(sourcePath: string) { return this.documents.partsOf(sourcePath); }
  getDocument(id: number) { return this.documents.getDocument(id); }
  fileWarnings(sourcePath: string) { return this.documents.fileWarnings(sourcePath); }
  machineDocument(id: number) { return this.documents.machineDocument(id); }
  isOutputTaken(outputPath: string, sourcePath: string) { return this.documents.isOutputTaken(outputPath, sourcePath); }
  facts(documentId: number) { return this.documents.facts(documentId); }
  pages(documentId: number) { return this.documents.pages(documentId); }
  findDoneBySha256(sha256: string) { return this.documents.findDoneBySha256(sha256); }
  failedDocuments() { return this.documents.failedDocuments(); }
  totals() { return this.documents.totals(); }
  recordConverted(record: ConvertedRecord, claimedFrom?: string) { return this.documents.recordConverted(record, claimedFrom); }
  recordFailure(record: FailureRecord, claimedFrom?: string) { return this.documents.recordFailure(record, claimedFrom); }

  // --- the index outbox (index-outbox.ts) ---
  pendingIndexUpdates(limit: number) { return this.outbox.pendingIndexUpdates(limit); }
  completeIndexUpdates(ids: readonly number[]) { this.outbox.completeIndexUpdates(ids); }
  failIndexUpdates(ids: readonly number[], message: string, refused = false) { this.outbox.failIndexUpdates(ids, message, refused); }
  retryRefusedIndexUpdates() { return this.outbox.retryRefusedIndexUpdates(); }
  convertedDocumentIds(afterId: number, limit: number) { return this.outbox.convertedDocumentIds(afterId, limit); }
  outboxHighWater() { return this.outbox.outboxHighWater(); }
  completeIndexUpdatesUpTo(id: number) { this.outbox.completeIndexUpdatesUpTo(id); }
  indexBacklog() { return this.outbox.indexBacklog(); }

  // --- inbox claims (inbox-claims.ts) ---
  claim(inboxPath: string) { return this.inbox.claim(inboxPath); }
  claims() { return this.inbox.claims(); }
  saveClaim(claim: InboxClaim) { this.inbox.saveClaim(claim); }
  deleteClaim(inboxPath: string) { this.inbox.deleteClaim(inboxPath); }
  isSourceTaken(sourcePath: string) { return this.inbox.isSourceTaken(sourcePath); }

  // --- runs (runs.ts) ---
  recordRun(run: RunRecord) { this.runs.recordRun(run); }
  finishRun(runId: string, stoppedBy: string, finishedAt: string) { this.runs.finishRun(runId, stoppedBy, finishedAt); }
  recordInterruptedRun(run: Parameters<Runs['recordInterruptedRun']>[0]) { return this.runs.recordInterruptedRun(run); }
  unendedRuns() { return this.runs.unendedRuns(); }
  recentRuns(limit: number) { return this.runs.recentRuns(limit); }

  // --- fixity passes (fixity-passes.ts) ---
  fixityRecordsAfter(afterId: number, limit: number) { return this.fixity.fixityRecordsAfter(afterId, limit); }
  fixityRecord(id: number) { return this.fixity.fixityRecord(id); }
  fixityRemaining(afterId: number) { return this.fixity.fixityRemaining(afterId); }
  ownedOutputPaths() { return this.fixity.ownedOutputPaths(); }
  unfinishedVerifyPass() { return this.fixity.unfinishedVerifyPass(); }
  verifyPass(passId: number) { return this.fixity.verifyPass(passId); }
  startVerifyPass(options: { originals: boolean }) { return this.fixity.startVerifyPass(options); }
  joinVerifyPass(passId: number) { this.fixity.joinVerifyPass(passId); }
  checkpointVerifyPass(checkpoint: VerifyCheckpoint) { this.fixity.checkpointVerifyPass(checkpoint); }
  finishVerifyPass(passId: number, outcome: 'completed' | 'abandoned') { this.fixity.finishVerifyPass(passId, outcome); }
  verifyFindings(passId: number) { return this.fixity.verifyFindings(passId); }

  // --- collections and export (collections.ts) ---
  collections() { return this.collectionRecords.collections(); }
  exportRecords(collection: string) { return this.collectionRecords.exportRecords(collection); }
  identifiers(documentId: number) { return this.collectionRecords.identifiers(documentId); }
}
