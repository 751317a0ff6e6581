/**
 * The outbox of index updates: each change to a document queues one in the change's transaction
 * (documents.ts), and index sync (core/pipeline/index-sync.ts) hands them to the search backend,
 * so the index can lag or be rebuilt (core/pipeline/rebuild-index.ts) but never silently diverge.
 */
import type { Statements } from '../sqlite/statements.js';

export interface OutboxEntry {
  id: number;
  documentId: number;
  op: 'upsert' | 'delete';
}

export class IndexOutbox {
  constructor(private readonly statements: Statements) {}

  /** Called inside the transaction that changed the document. */
  enqueue(documentId: number, op: OutboxEntry['op'], now: string): void {
    this.statements.get('INSERT INTO outbox (document_id, op, created_at) VALUES (?, ?, ?)').run(documentId, op, now);
  }

  /** The oldest updates not set aside, those that failed fewer times first: one that keeps failing waits behind the rest. */
  pendingIndexUpdates(limit: number): OutboxEntry[] {
    return this.statements.get('SELECT id, document_id AS documentId, op FROM outbox WHERE refused_at IS NULL ORDER BY attempts, id LIMIT ?').all(limit) as OutboxEntry[];
  }

  completeIndexUpdates(ids: readonly number[]): void {
    const remove = this.statements.get('DELETE FROM outbox WHERE id = ?');
    this.statements.transaction(() => ids.forEach((id) => remove.run(id)));
  }

  /** Updates that failed; `refused`: the backend will never take them as they are, so they are set aside. */
  failIndexUpdates(ids: readonly number[], message: string, refused = false): void {
    const mark = this.statements.get('UPDATE outbox SET attempts = attempts + 1, last_error = ?, refused_at = ? WHERE id = ?');
    const at = refused ? new Date().toISOString() : null;
    this.statements.transaction(() => ids.forEach((id) => mark.run(message, at, id)));
  }

  /** Puts the updates set aside back in line (after the cause was fixed); how many. */
  retryRefusedIndexUpdates(): number {
    return this.statements.get('UPDATE outbox SET refused_at = NULL WHERE refused_at IS NOT NULL').run().changes;
  }

  /** Ids of converted documents (with a PDF) after `afterId`, in order: a rebuild reads the catalog by these. */
  convertedDocumentIds(afterId: number, limit: number): number[] {
    return (this.statements.get('SELECT id FROM documents WHERE output_path IS NOT NULL AND id > ? ORDER BY id LIMIT ?').all(afterId, limit) as Array<{ id: number }>).map((row) => row.id);
  }

  /** The newest outbox entry's id (0 when empty): updates up to it are covered by a rebuild started now. */
  outboxHighWater(): number {
    return (this.statements.get('SELECT COALESCE(MAX(id), 0) AS id FROM outbox').get() as { id: number }).id;
  }

  completeIndexUpdatesUpTo(id: number): void {
    this.statements.get('DELETE FROM outbox WHERE id <= ?').run(id);
  }

  /** Updates waiting (set-aside ones included in `pending`, and counted in `refused`), the most attempts, the latest error. */
  indexBacklog(): { pending: number; refused: number; attempts: number; lastError: string | null } {
    const row = this.statements.get('SELECT COUNT(*) AS pending, COUNT(refused_at) AS refused, COALESCE(MAX(attempts), 0) AS attempts FROM outbox').get() as { pending: number; refused: number; attempts: number };
    const failed = this.statements.get('SELECT last_error AS lastError FROM outbox WHERE last_error IS NOT NULL ORDER BY id DESC LIMIT 1').get() as { lastError: string } | undefined;
    return { ...row, lastError: failed?.lastError ?? null };
  }
}
