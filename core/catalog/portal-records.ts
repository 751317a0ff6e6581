/**
 * What the public portal (issue 26) reads of the catalog, and the two things it keeps there
 * (schema migration 17): each public document's random public id, and the documents staff
 * withheld from the public one by one. Which collections and types are public is the config's
 * (web/portal/public-set.ts decides); this file only reads candidates and writes those two tables.
 */
import { randomBytes } from 'node:crypto';
import type { Statements } from '../sqlite/statements.js';

/** A converted document as the portal may list it (as corrected by staff). */
export interface PortalCandidate {
  id: number;
  title: string | null;
  relativePath: string;
  collection: string | null;
  documentType: string | null;
  year: number | null;
  date: string | null;
  language: string | null;
  pageCount: number;
  convertedAt: string | null;
  publicId: string | null;
  withheld: number;
}

/** How far a reader has seen the catalog's changes (changedSince). */
export interface ChangeMarks {
  correction: number;
  document: number;
}

const CANDIDATES = `SELECT d.id, d.title, d.relative_path AS relativePath, d.collection, d.document_type AS documentType, d.year, d.doc_date AS date,
    d.language, d.page_count AS pageCount, d.converted_at AS convertedAt, p.public_id AS publicId, (w.document_id IS NOT NULL) AS withheld
  FROM effective_documents d LEFT JOIN portal_ids p ON p.document_id = d.id LEFT JOIN portal_withheld w ON w.document_id = d.id
  WHERE d.status = 'done' AND d.output_path IS NOT NULL`;

export interface Withholding {
  documentId: number;
  by: string;
  at: string;
  reason: string | null;
}

/** 16 random bytes in base32-like lower case: 26 letters and digits, unguessable, readable aloud. */
function newPublicId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return [...randomBytes(16)].map((byte) => alphabet[byte & 31]).join('').slice(0, 16);
}

export class PortalRecords {
  constructor(private readonly statements: Statements) {}

  /**
   * Changes whenever the catalog may have: another process committed (PRAGMA data_version) or this
   * connection changed rows (total_changes()). Cheap: the portal asks every few seconds and reads
   * its candidates again only when this moved.
   */
  version(): string {
    const other = this.statements.get('PRAGMA data_version').pluck().get() as number;
    const own = this.statements.get('SELECT total_changes()').pluck().get() as number;
    return `${other}:${own}`;
  }

  /** Every converted document with a PDF, with its public id (if it has one) and whether it is withheld. */
  candidates(): PortalCandidate[] {
    return this.statements.get(`${CANDIDATES} ORDER BY d.id`).all() as PortalCandidate[];
  }

  /** The next `limit` candidates after this catalog id, in id order: the whole list read a slice at a time. */
  candidatesAfter(afterId: number, limit: number): PortalCandidate[] {
    return this.statements.get(`${CANDIDATES} AND d.id > ? ORDER BY d.id LIMIT ?`).all(afterId, limit) as PortalCandidate[];
  }

  /** These documents as candidates (those not converted, or gone, are left out). */
  candidatesOf(documentIds: readonly number[]): PortalCandidate[] {
    if (documentIds.length === 0) return [];
    return this.statements.get(`${CANDIDATES} AND d.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(documentIds)) as PortalCandidate[];
  }

  /**
   * What changed since a reader's marks, told by what only grows: corrections (ids never reused)
   * and documents added (a new row takes a greater id). Both read along a primary key.
   */
  changedSince(marks: ChangeMarks): { documentIds: number[]; marks: ChangeMarks } {
    const corrected = this.statements.get('SELECT id, document_id AS documentId FROM corrections WHERE id > ? ORDER BY id').all(marks.correction) as Array<{ id: number; documentId: number }>;
    const added = this.statements.get('SELECT id FROM documents WHERE id > ? ORDER BY id').pluck().all(marks.document) as number[];
    return {
      documentIds: [...new Set([...corrected.map((row) => row.documentId), ...added])],
      marks: { correction: corrected.at(-1)?.id ?? marks.correction, document: added.at(-1) ?? marks.document },
    };
  }

  /** The marks as they stand: nothing before them counts as a change. */
  marksNow(): ChangeMarks {
    return {
      correction: (this.statements.get('SELECT COALESCE(MAX(id), 0) FROM corrections').pluck().get() as number),
      document: (this.statements.get('SELECT COALESCE(MAX(id), 0) FROM documents').pluck().get() as number),
    };
  }

  /**
   * Documents whose index entry may not say what the catalog says now: an update waiting in the
   * outbox (or set aside). At most `limit` (a caller that gets more gives up on what it wanted them for).
   */
  indexLagging(limit: number): number[] {
    return this.statements.get('SELECT DISTINCT document_id FROM outbox LIMIT ?').pluck().all(limit) as number[];
  }

  /**
   * Documents the index may hold that are no candidates: a PDF, but not done (a conversion again
   * that failed keeps the PDF, and the index its pages). At most `limit`.
   */
  indexedNotCandidates(limit: number): number[] {
    return this.statements.get("SELECT id FROM documents WHERE output_path IS NOT NULL AND (status < 'done' OR status > 'done') LIMIT ?").pluck().all(limit) as number[];
  }

  /** The withheld documents' ids (a short list: staff add them one by one). */
  withheldIds(): Set<number> {
    return new Set(this.statements.get('SELECT document_id FROM portal_withheld').pluck().all() as number[]);
  }

  /** Gives each of these documents a public id if it has none; returns them all. Kept for good. */
  assignPublicIds(documentIds: readonly number[], now = new Date()): Map<number, string> {
    const assigned = new Map<number, string>();
    this.statements.transaction(() => {
      const find = this.statements.get('SELECT public_id FROM portal_ids WHERE document_id = ?').pluck();
      const insert = this.statements.get('INSERT INTO portal_ids (document_id, public_id, assigned_at) VALUES (?, ?, ?)');
      for (const id of documentIds) {
        let publicId = find.get(id) as string | undefined;
        if (publicId === undefined) {
          publicId = newPublicId();
          insert.run(id, publicId, now.toISOString());
        }
        assigned.set(id, publicId);
      }
    });
    return assigned;
  }

  withhold(documentId: number, by: string, reason: string | null, now = new Date()): void {
    this.statements
      .get('INSERT INTO portal_withheld (document_id, withheld_by, withheld_at, reason) VALUES (?, ?, ?, ?) ON CONFLICT (document_id) DO UPDATE SET withheld_by = excluded.withheld_by, withheld_at = excluded.withheld_at, reason = excluded.reason')
      .run(documentId, by, now.toISOString(), reason);
  }

  /** False when the document was not withheld. */
  release(documentId: number): boolean {
    return this.statements.get('DELETE FROM portal_withheld WHERE document_id = ?').run(documentId).changes > 0;
  }

  withheld(): Withholding[] {
    return this.statements.get('SELECT document_id AS documentId, withheld_by AS by, withheld_at AS at, reason FROM portal_withheld ORDER BY withheld_at DESC, document_id').all() as Withholding[];
  }

  isWithheld(documentId: number): boolean {
    return this.statements.get('SELECT 1 FROM portal_withheld WHERE document_id = ?').get(documentId) !== undefined;
  }
}
