/**
 * Archivists' decisions on the review queue (issue 25): "the machine read this right" (accept),
 * kept with who and when as corrections are, and undone like them. Append-only: each decision is
 * a new row; a newer one marks the one before `superseded_by`, so one is current per item (a
 * unique index); undoing one is a new row back to the state before it.
 *
 * An accept keeps a fingerprint of the machine's reading it accepted (review-rules.ts, readingOf):
 * the item stays out of the queue while the machine reads the same, through re-ingests and a new
 * Acervo version, and comes back when a rescan reads otherwise. Decisions belong to the document's
 * original and part, as corrections do: a row removed by a re-ingest keeps them under the negated
 * id until the part is made again.
 */
import type { Statements } from '../sqlite/statements.js';
import type { ReviewQueue } from './review-queue.js';
import { publicReason, readingOf, storedReason, type ReviewReason } from './review-rules.js';

export interface ReviewDecision {
  id: number;
  documentId: number;
  /** The page (of the document, blank pages counted); null for a document's item. */
  pageNo: number | null;
  reason: ReviewReason;
  /** accept: the machine read it right; reopen: back in the queue. */
  action: 'accept' | 'reopen';
  author: string;
  at: string;
  supersedes: number | null;
  supersededBy: number | null;
  reverts: number | null;
}

interface Row extends Omit<ReviewDecision, 'pageNo' | 'reason'> {
  pageNo: number;
  reason: string;
  reading: string | null;
}

const COLUMNS = `id, document_id AS documentId, page_no AS pageNo, reason, action, reading, author, at, supersedes, superseded_by AS supersededBy, reverts`;

function toDecision({ reading: _reading, ...row }: Row): ReviewDecision {
  return { ...row, pageNo: row.pageNo === 0 ? null : row.pageNo, reason: publicReason(row.reason) };
}

export class ReviewDecisions {
  constructor(
    private readonly statements: Statements,
    private readonly queue: ReviewQueue,
  ) {}

  /**
   * Accepts the machine's reading of an item in the queue: it leaves the queue. `gone` when the
   * item is not in the queue (someone accepted or fixed it meanwhile): nothing is saved.
   */
  accept(documentId: number, pageNo: number | null, reason: ReviewReason, author: string, now = new Date()): { saved: ReviewDecision } | { gone: true } {
    return this.statements.transaction(
      () => {
        if (!this.queue.holds(documentId, pageNo, reason)) return { gone: true as const };
        const stored = storedReason(reason);
        const page = pageNo ?? 0;
        const saved = this.insert(documentId, page, stored, 'accept', readingOf(this.statements, documentId, page, stored), this.currentRow(documentId, page, stored), null, author, now.toISOString());
        this.queue.refresh(documentId);
        return { saved };
      },
      { immediate: true },
    );
  }

  /**
   * Undoes a decision: the item goes back to the state before it (in the queue, when it was the
   * first). Only the item's current decision can be undone (`conflict` otherwise: a later one
   * would be undone unseen); undefined when there is no such decision.
   */
  revert(id: number, author: string, now = new Date()): { saved: ReviewDecision } | { conflict: ReviewDecision } | undefined {
    return this.statements.transaction(
      () => {
        const row = this.row(id);
        if (!row) return undefined;
        const current = this.currentRow(row.documentId, row.pageNo, row.reason)!;
        if (current.id !== row.id) return { conflict: toDecision(current) };
        const prior = row.supersedes === null ? undefined : this.row(row.supersedes);
        const restored = prior?.action === 'accept' ? { action: 'accept' as const, reading: prior.reading } : { action: 'reopen' as const, reading: null };
        const saved = this.insert(row.documentId, row.pageNo, row.reason, restored.action, restored.reading, current, row.id, author, now.toISOString());
        this.queue.refresh(row.documentId);
        return { saved };
      },
      { immediate: true },
    );
  }

  get(id: number): ReviewDecision | undefined {
    const row = this.row(id);
    return row && toDecision(row);
  }

  /** Every decision on the document's items, newest first. */
  history(documentId: number): ReviewDecision[] {
    return (this.statements.get(`SELECT ${COLUMNS} FROM review_decisions WHERE document_id = ? ORDER BY id DESC`).all(documentId) as Row[]).map(toDecision);
  }

  /** Set apart with the document's corrections when a re-ingest removes its row (corrections.ts, detach). */
  detach(documentId: number): void {
    this.statements.get('UPDATE review_decisions SET document_id = -document_id WHERE document_id = ?').run(documentId);
  }

  /** Taken back when a row is made again for the original's part (corrections.ts, reattach). */
  reattach(sourcePath: string, partNo: number, documentId: number): void {
    this.statements.get('UPDATE review_decisions SET document_id = ? WHERE source_path = ? AND part_no = ? AND document_id < 0').run(documentId, sourcePath, partNo);
  }

  private row(id: number): Row | undefined {
    return this.statements.get(`SELECT ${COLUMNS} FROM review_decisions WHERE id = ?`).get(id) as Row | undefined;
  }

  private currentRow(documentId: number, pageNo: number, stored: string): Row | undefined {
    return this.statements.get(`SELECT ${COLUMNS} FROM review_decisions WHERE document_id = ? AND page_no = ? AND reason = ? AND superseded_by IS NULL`).get(documentId, pageNo, stored) as Row | undefined;
  }

  private insert(documentId: number, pageNo: number, stored: string, action: 'accept' | 'reopen', reading: string | null, current: Row | undefined, reverts: number | null, author: string, at: string): ReviewDecision {
    const source = this.statements.get('SELECT source_path AS sourcePath, part_no AS partNo FROM documents WHERE id = ?').get(documentId) as { sourcePath: string; partNo: number };
    // One current decision per item (a unique index): the one before steps aside first.
    if (current) this.statements.get('UPDATE review_decisions SET superseded_by = -1 WHERE id = ?').run(current.id);
    const id = Number(
      this.statements
        .get(
          `INSERT INTO review_decisions (document_id, source_path, part_no, page_no, reason, action, reading, author, at, supersedes, reverts)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(documentId, source.sourcePath, source.partNo, pageNo, stored, action, reading, author, at, current?.id ?? null, reverts).lastInsertRowid,
    );
    if (current) this.statements.get('UPDATE review_decisions SET superseded_by = ? WHERE id = ?').run(id, current.id);
    return this.get(id)!;
  }
}
