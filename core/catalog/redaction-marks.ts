/** The redaction marks an archivist left on a document (schema migration 10; core/redaction/review.ts). */
import type { PageBox } from '../redaction/page-box.js';
import type { MarkAction, RedactionMark } from '../redaction/review.js';
import type { Statements } from '../sqlite/statements.js';

const COLUMNS = 'id, page_no AS page, action, x0, y0, x1, y1, label, made_by AS madeBy, made_at AS madeAt';

export class RedactionMarks {
  constructor(private readonly statements: Statements) {}

  of(documentId: number): RedactionMark[] {
    return this.statements.get(`SELECT ${COLUMNS} FROM redaction_marks WHERE document_id = ? ORDER BY page_no, id`).all(documentId) as RedactionMark[];
  }

  /** The documents with a box an archivist drew (over a name, a signature): their text is not all public. */
  documentsWithDrawnBoxes(): Set<number> {
    return new Set(this.statements.get("SELECT DISTINCT document_id FROM redaction_marks WHERE action = 'add'").pluck().all() as number[]);
  }

  add(documentId: number, mark: { page: number; action: MarkAction; box: PageBox; label: string | null; madeBy: string }, now = new Date()): RedactionMark {
    const { x0, y0, x1, y1 } = mark.box;
    const madeAt = now.toISOString();
    const result = this.statements
      .get('INSERT INTO redaction_marks (document_id, page_no, action, x0, y0, x1, y1, label, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(documentId, mark.page, mark.action, x0, y0, x1, y1, mark.label, mark.madeBy, madeAt);
    return { id: Number(result.lastInsertRowid), page: mark.page, action: mark.action, x0, y0, x1, y1, label: mark.label, madeBy: mark.madeBy, madeAt };
  }

  /** Removes a mark of the document; false when it has no such mark. */
  remove(documentId: number, id: number): boolean {
    return this.statements.get('DELETE FROM redaction_marks WHERE document_id = ? AND id = ?').run(documentId, id).changes > 0;
  }
}
