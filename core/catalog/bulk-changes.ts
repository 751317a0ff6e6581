/**
 * Bulk changes (issue 25, point 5): collection, series, box or type set for a whole selection — a
 * box, a search's results, documents picked by hand — as one operation with its own id, author and
 * time (schema migration 15). It is made of ordinary corrections (corrections.ts), one per field
 * changed of each document, each naming the bulk change: the document's history shows them, each
 * can be reverted alone, and the effective_* views lay them over the machine's values as any other.
 *
 * Concurrency: the preview tells its reader the newest correction there was (`seenUpTo`); applying
 * refuses the whole change if any selected field got a correction after it (someone changed it
 * unseen), as a single edit is refused when it is not based on the field's current version.
 * Reverting puts back what each of its corrections replaced, for those still current; those a later
 * change superseded stay, and are reported. Everything is one transaction with statements prepared
 * once, and queues one index update per document changed (the outbox), as a single edit does.
 */
import type { Statements } from '../sqlite/statements.js';
import type { Correction, Corrections } from './corrections.js';
import type { IndexOutbox } from './index-outbox.js';
import type { ReviewQueue } from './review-queue.js';
import { BULK_FIELDS, boxDocumentIds, boxes, readDocuments, type BulkDocument, type BulkField, type BulkValues } from './bulk-selection.js';

export type BulkSelection =
  | { kind: 'box'; collection: string | null; box: string | null }
  | { kind: 'search'; q: string; collections: string[]; types: string[]; yearFrom: number | null; yearTo: number | null }
  | { kind: 'documents'; ids: number[] }
  | { kind: 'revert'; of: number };

export interface BulkChange {
  id: number;
  author: string;
  at: string;
  selection: BulkSelection;
  /** What it set; empty for a revert (see `reverts`). */
  values: BulkValues;
  /** Documents in the selection when it was applied, and those it changed. */
  documents: number;
  changed: number;
  /** Every collection it touched: before, after, in its filters. */
  collections: string[];
  reverts: number | null;
  revertedBy: number | null;
  /** Its corrections, and how many are still current (what a revert would put back). */
  corrections: number;
  current: number;
}

/** A field someone changed after the preview: what it holds now and the change that set it. */
export interface BulkConflict {
  documentId: number;
  field: BulkField;
  value: string | null;
  current: Correction;
}

/** A correction of a bulk change that a later change superseded: it stays, and this is what the field holds. */
export interface Superseded {
  documentId: number;
  field: BulkField;
  correction: number;
  value: string | null;
  current: Correction | null;
}

export type ApplyResult = { conflicts: BulkConflict[] } | { change: BulkChange | null; corrections: number };

export interface RevertResult {
  change: BulkChange | null;
  /** Corrections put back. */
  reverted: number;
  superseded: Superseded[];
  /** Corrections left alone because the caller may not change their document (`admit` said no), or it is gone. */
  skipped: number;
}

interface Row {
  id: number;
  author: string;
  at: string;
  selection: string;
  fields: string;
  documents: number;
  changed: number;
  collections: string;
  reverts: number | null;
  revertedBy: number | null;
  corrections: number;
  current: number;
}

const CHANGE_SQL = `SELECT b.id, b.author, b.at, b.selection, b.fields, b.documents, b.changed, b.collections, b.reverts, b.reverted_by AS revertedBy,
  (SELECT COUNT(*) FROM corrections c WHERE c.bulk_change = b.id) AS corrections,
  (SELECT COUNT(*) FROM corrections c WHERE c.bulk_change = b.id AND c.superseded_by IS NULL) AS current
  FROM bulk_changes b`;

const toChange = (row: Row): BulkChange => ({
  ...row,
  selection: JSON.parse(row.selection) as BulkSelection,
  values: JSON.parse(row.fields) as BulkValues,
  collections: JSON.parse(row.collections) as string[],
});

export class BulkChanges {
  constructor(
    private readonly statements: Statements,
    private readonly outbox: IndexOutbox,
    private readonly corrections: Corrections,
    /** A type set for a box settles its documents' "no type" review items, as a single correction does. */
    private readonly review: ReviewQueue,
  ) {}

  /** The documents of these ids, as a bulk change reads them (bulk-selection.ts). */
  documents(ids: readonly number[]): BulkDocument[] {
    return readDocuments(this.statements, ids);
  }

  /** The converted documents shown in a box (null: none set), by id. */
  boxDocumentIds(collection: string | null, box: string | null): number[] {
    return boxDocumentIds(this.statements, collection, box);
  }

  /** Every box as shown, with how many converted documents it holds. */
  boxes(): Array<{ collection: string | null; box: string | null; documents: number }> {
    return boxes(this.statements);
  }

  /** The newest correction's id: a preview's reader has seen every change up to it. */
  seenUpTo(): number {
    return this.statements.get('SELECT COALESCE(MAX(id), 0) FROM corrections').pluck().get() as number;
  }

  get(id: number): BulkChange | undefined {
    const row = this.statements.get(`${CHANGE_SQL} WHERE b.id = ?`).get(id) as Row | undefined;
    return row && toChange(row);
  }

  /** Newest first; `before`: an id to page on from. */
  list(limit: number, before: number | null = null): BulkChange[] {
    return (this.statements.get(`${CHANGE_SQL} WHERE @before IS NULL OR b.id < @before ORDER BY b.id DESC LIMIT @limit`).all({ before, limit }) as Row[]).map(toChange);
  }

  /** How many of the documents it changed still wait for the search index (the outbox). */
  pendingIndex(id: number): number {
    return this.statements.get('SELECT COUNT(DISTINCT document_id) FROM outbox WHERE document_id IN (SELECT document_id FROM corrections WHERE bulk_change = ?)').pluck().get(id) as number;
  }

  /** Its corrections that a later change superseded, with what each field holds now. */
  superseded(id: number): Superseded[] {
    const rows = this.statements
      .get(
        `SELECT b.id AS correction, b.document_id AS documentId, b.field, c.id AS currentId FROM corrections b
         LEFT JOIN corrections c ON c.document_id = b.document_id AND c.page_no = 0 AND c.field = b.field AND c.superseded_by IS NULL
         WHERE b.bulk_change = ? AND b.superseded_by IS NOT NULL AND b.document_id > 0 ORDER BY b.id`,
      )
      .all(id) as Array<{ correction: number; documentId: number; field: BulkField; currentId: number | null }>;
    const shown = new Map(readDocuments(this.statements, [...new Set(rows.map((row) => row.documentId))]).map((document) => [document.id, document]));
    return rows.map((row) => ({
      documentId: row.documentId,
      field: row.field,
      correction: row.correction,
      value: shown.get(row.documentId)?.fields[row.field].value ?? null,
      current: row.currentId === null ? null : (this.corrections.get(row.currentId) ?? null),
    }));
  }

  /**
   * Sets `values` on the documents of these ids (the caller resolved the selection and left out what
   * its user may not change), all or nothing: if a field to set got a correction after `seenUpTo`,
   * nothing is saved and those are returned. A document whose field already shows the value gets no
   * correction for it; when no document changes, no bulk change is recorded (`change` null).
   */
  apply(input: { ids: readonly number[]; values: BulkValues; author: string; selection: BulkSelection; seenUpTo: number; collections: readonly string[] }, now = new Date()): ApplyResult {
    return this.statements.transaction(() => {
      const fields = BULK_FIELDS.filter((field) => field in input.values);
      const documents = readDocuments(this.statements, input.ids);
      const conflicts: BulkConflict[] = [];
      for (const document of documents) {
        for (const field of fields) {
          const { version, value } = document.fields[field];
          if (version !== null && version > input.seenUpTo) conflicts.push({ documentId: document.id, field, value, current: this.corrections.get(version)! });
        }
      }
      if (conflicts.length > 0) return { conflicts };
      const at = now.toISOString();
      const id = this.record(input.author, at, input.selection, input.values, documents.length, null);
      let corrections = 0;
      const changed = new Set<number>();
      const touched = new Set(input.collections);
      for (const document of documents) {
        const collection = document.fields.collection.value;
        for (const field of fields) {
          const target = input.values[field] ?? null;
          const shown = document.fields[field];
          if (shown.value === target) continue;
          this.insert(document, field, { action: 'set', value: target }, null, id, input.author, at);
          corrections += 1;
          changed.add(document.id);
        }
        if (changed.has(document.id)) {
          if (collection !== null) touched.add(collection);
          this.outbox.enqueue(document.id, 'upsert', at);
          this.review.refresh(document.id);
        }
      }
      if (changed.size === 0) {
        // Nothing to change: no operation to show in the history (the AUTOINCREMENT id is simply skipped).
        this.statements.get('DELETE FROM bulk_changes WHERE id = ?').run(id);
        return { change: null, corrections: 0 };
      }
      if (typeof input.values.collection === 'string') touched.add(input.values.collection);
      this.statements.get('UPDATE bulk_changes SET changed = ?, collections = ? WHERE id = ?').run(changed.size, JSON.stringify([...touched].sort()), id);
      return { change: this.get(id)!, corrections };
    });
  }

  /**
   * Undoes a bulk change: each of its corrections still current goes back to what it replaced (the
   * machine's value when it was the first); those superseded by a later change stay and are
   * returned. `admit(document)` false leaves a document alone (its user may not change it).
   * Undefined when there is no such bulk change.
   */
  revert(id: number, author: string, admit: (document: BulkDocument) => boolean, now = new Date()): RevertResult | undefined {
    return this.statements.transaction(() => {
      const original = this.get(id);
      if (!original) return undefined;
      const rows = this.statements
        .get(`SELECT id, document_id AS documentId, field, supersedes FROM corrections WHERE bulk_change = ? AND superseded_by IS NULL ORDER BY id`)
        .all(id) as Array<{ id: number; documentId: number; field: BulkField; supersedes: number | null }>;
      const documents = new Map(readDocuments(this.statements, [...new Set(rows.map((row) => row.documentId))]).map((document) => [document.id, document]));
      const superseded = this.superseded(id);
      const at = now.toISOString();
      let revertId: number | null = null;
      let reverted = 0;
      let skipped = 0;
      const changed = new Set<number>();
      const touched = new Set<string>(original.collections);
      const prior = this.statements.get('SELECT action, value FROM corrections WHERE id = ?');
      for (const row of rows) {
        const document = documents.get(row.documentId);
        if (document === undefined || !admit(document)) {
          skipped += 1;
          continue;
        }
        revertId ??= this.record(author, at, { kind: 'revert', of: id }, {}, 0, id);
        const before = row.supersedes === null ? undefined : (prior.get(row.supersedes) as { action: 'set' | 'machine'; value: string | null });
        const restored = before === undefined || before.action === 'machine' ? { action: 'machine' as const, value: null } : { action: 'set' as const, value: JSON.parse(before.value!) as string | null };
        if (document.fields.collection.value !== null) touched.add(document.fields.collection.value);
        this.insert(document, row.field, restored, row.id, revertId, author, at);
        reverted += 1;
        changed.add(document.id);
      }
      for (const documentId of changed) {
        this.outbox.enqueue(documentId, 'upsert', at);
        this.review.refresh(documentId);
      }
      if (revertId === null) return { change: null, reverted, superseded, skipped };
      this.statements.get('UPDATE bulk_changes SET documents = ?, changed = ?, collections = ? WHERE id = ?').run(changed.size, changed.size, JSON.stringify([...touched].sort()), revertId);
      this.statements.get('UPDATE bulk_changes SET reverted_by = ? WHERE id = ?').run(revertId, id);
      return { change: this.get(revertId)!, reverted, superseded, skipped };
    });
  }

  private record(author: string, at: string, selection: BulkSelection, values: BulkValues, documents: number, reverts: number | null): number {
    return Number(
      this.statements
        .get(`INSERT INTO bulk_changes (author, at, selection, fields, documents, changed, collections, reverts) VALUES (?, ?, ?, ?, ?, 0, '[]', ?)`)
        .run(author, at, JSON.stringify(selection), JSON.stringify(values), documents, reverts).lastInsertRowid,
    );
  }

  /** One correction of one document field, as Corrections.save writes it (the current one steps aside first: one current per field). */
  private insert(document: BulkDocument, field: BulkField, change: { action: 'set' | 'machine'; value: string | null }, reverts: number | null, bulkChange: number, author: string, at: string): void {
    const { value: shown, machine, version } = document.fields[field];
    if (version !== null) this.statements.get('UPDATE corrections SET superseded_by = -1 WHERE id = ?').run(version);
    const id = this.statements
      .get(
        `INSERT INTO corrections (document_id, source_path, part_no, page_no, field, action, value, before_value, machine_value, holds_personal, author, at, supersedes, reverts, bulk_change)
         VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
      )
      .run(
        document.id, document.sourcePath, document.partNo, field, change.action, change.action === 'set' ? JSON.stringify(change.value) : null,
        JSON.stringify(shown), JSON.stringify(machine), author, at, version, reverts, bulkChange,
      ).lastInsertRowid;
    if (version !== null) this.statements.get('UPDATE corrections SET superseded_by = ? WHERE id = ?').run(id, version);
    // The document's PDF now says less than its record: it waits for a rewrite (pdf-rewrites.ts).
    this.statements.get('UPDATE documents SET corrections_seq = ? WHERE id = ?').run(id, document.id);
    // A later field of the same document in this change sees this one as its version.
    document.fields[field] = { value: change.action === 'set' ? change.value : machine, machine, version: Number(id) };
  }
}
