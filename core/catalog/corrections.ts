/**
 * What archive staff corrected (issue 25): each change of a document's field or of a page's text,
 * kept as its own fact beside what the machine read (schema migration 13). Ingest, reindex and
 * retry write the machine's tables only and never touch these rows; what everything shows and
 * indexes is the machine's value with the current correction laid over it, in the catalog's
 * effective_* views, so no reader can forget it.
 *
 * Every change is a new row (who, when, the value before, the machine's value then): the history.
 * A revert is a change too, back to the state before the one reverted. An edit says which version
 * of the field its author saw (`basedOn`: the current change's id, or null for the machine's
 * value); if another change came in between, nothing is saved and the caller is told (a conflict).
 * Saving queues the document's index update in the same transaction (the outbox).
 */
import type { CorrectedMetadata } from '../model.js';
import { findPersonalNumbers } from '../privacy/personal-numbers.js';
import type { Statements } from '../sqlite/statements.js';
import type { IndexOutbox } from './index-outbox.js';
import type { ReviewQueue } from './review-queue.js';

/** A document's fields staff may correct; a page's text is the field `text` of that page. */
export const DOCUMENT_FIELDS = ['title', 'date', 'year', 'documentType', 'collection', 'series', 'box', 'notes', 'identifiers'] as const;
export type DocumentField = (typeof DOCUMENT_FIELDS)[number];
export type CorrectionField = DocumentField | 'text';

/** An identifier as staff set it; `page` (of the document) is where the index finds it. */
export interface CorrectedIdentifier {
  kind: string;
  value: string;
  page: number | null;
}

export type FieldValue = string | number | null | CorrectedIdentifier[];

export interface Correction {
  id: number;
  documentId: number;
  /** The page whose text it is (the document's page number, blank pages counted); null for a document field. */
  pageNo: number | null;
  field: CorrectionField;
  /** set: `value` replaces the machine's; machine: back to whatever the machine reads. */
  action: 'set' | 'machine';
  value: FieldValue;
  /** What was shown before this change. */
  before: FieldValue;
  /** What the machine read when the change was made. */
  machineValue: FieldValue;
  author: string;
  at: string;
  supersedes: number | null;
  supersededBy: number | null;
  reverts: number | null;
  /** The bulk change it was made by (core/catalog/bulk-changes.ts); null for an edit of one document. */
  bulkChange: number | null;
}

export interface Edit {
  field: CorrectionField;
  /** The document's page number, for `text`. */
  pageNo?: number;
  /** The new value; ignored when `machine`. */
  value?: FieldValue;
  /** Back to the machine's value. */
  machine?: boolean;
  /** The version the author saw: the current change's id, or null when they saw the machine's value. */
  basedOn: number | null;
}

/** An edit refused because the field changed since its author saw it: what it holds now. */
export interface Conflict {
  field: CorrectionField;
  pageNo: number | null;
  /** The field's current change; null when it shows the machine's value. */
  current: Correction | null;
  value: FieldValue;
}

export type SaveResult = { saved: Correction[]; unchanged: CorrectionField[] } | { conflicts: Conflict[] };

interface Row {
  id: number;
  documentId: number;
  pageNo: number;
  field: CorrectionField;
  action: 'set' | 'machine';
  value: string | null;
  before: string | null;
  machineValue: string | null;
  author: string;
  at: string;
  supersedes: number | null;
  supersededBy: number | null;
  reverts: number | null;
  bulkChange: number | null;
}

const ROW_COLUMNS = `id, document_id AS documentId, page_no AS pageNo, field, action, value, before_value AS before, machine_value AS machineValue,
  author, at, supersedes, superseded_by AS supersededBy, reverts, bulk_change AS bulkChange`;

/** Each document field's column, the same in `documents` (the machine's) and `effective_documents`. */
const COLUMN: Record<Exclude<DocumentField, 'identifiers'>, string> = {
  title: 'title',
  date: 'doc_date',
  year: 'year',
  documentType: 'document_type',
  collection: 'collection',
  series: 'series',
  box: 'box',
  notes: 'notes',
};

const TAX_NUMBER_KINDS = `('cpf', 'cnpj', 'cuit', 'rg', 'pis', 'titulo')`;

const parse = (json: string | null): FieldValue => (json === null ? null : (JSON.parse(json) as FieldValue));

function toCorrection(row: Row): Correction {
  return { ...row, pageNo: row.pageNo === 0 ? null : row.pageNo, value: parse(row.value), before: parse(row.before), machineValue: parse(row.machineValue) };
}

function same(a: FieldValue, b: FieldValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class Corrections {
  constructor(
    private readonly statements: Statements,
    private readonly outbox: IndexOutbox,
    private readonly review: ReviewQueue,
  ) {}

  /** The machine's value of a field (`effective`: as shown, corrections laid over). */
  value(documentId: number, field: CorrectionField, pageNo: number | null, effective: boolean): FieldValue {
    if (field === 'text') {
      const text = this.statements.get(`SELECT text FROM ${effective ? 'effective_pages' : 'pages'} WHERE document_id = ? AND page_no = ?`).pluck().get(documentId, pageNo) as string | undefined;
      return text ?? null;
    }
    if (field === 'identifiers') {
      const rows = this.statements
        .get(
          effective
            ? `SELECT kind, value, page_no AS page FROM effective_facts WHERE document_id = ? AND kind <> 'date' AND kind NOT IN ${TAX_NUMBER_KINDS} ORDER BY seq`
            : `SELECT kind, value, page_no AS page FROM document_facts WHERE document_id = ? AND kind <> 'date' AND kind NOT IN ${TAX_NUMBER_KINDS} ORDER BY rowid`,
        )
        .all(documentId) as CorrectedIdentifier[];
      // The machine may find one identifier on several pages: listed once, where first found.
      const seen = new Set<string>();
      return rows.filter((row) => !seen.has(`${row.kind} ${row.value}`) && seen.add(`${row.kind} ${row.value}`));
    }
    const column = COLUMN[field];
    return (this.statements.get(`SELECT ${column} FROM ${effective ? 'effective_documents' : 'documents'} WHERE id = ?`).pluck().get(documentId) as string | number | null | undefined) ?? null;
  }

  /** The current change of each corrected field and page (a `machine` one included: it is a version too). */
  current(documentId: number): Correction[] {
    return (this.statements.get(`SELECT ${ROW_COLUMNS} FROM corrections WHERE document_id = ? AND superseded_by IS NULL ORDER BY page_no, field`).all(documentId) as Row[]).map(toCorrection);
  }

  /** Every change of the document, newest first. */
  history(documentId: number): Correction[] {
    return (this.statements.get(`SELECT ${ROW_COLUMNS} FROM corrections WHERE document_id = ? ORDER BY id DESC`).all(documentId) as Row[]).map(toCorrection);
  }

  get(id: number): Correction | undefined {
    const row = this.statements.get(`SELECT ${ROW_COLUMNS} FROM corrections WHERE id = ?`).get(id) as Row | undefined;
    return row && toCorrection(row);
  }

  /**
   * Saves the edits of one document, all or none: an edit whose value is what is shown already is
   * left out; if any other was not based on the field's current version, nothing is saved and the
   * conflicts are returned. The caller has checked the document exists and the pages are its.
   */
  save(documentId: number, edits: readonly Edit[], author: string, now = new Date()): SaveResult {
    return this.statements.transaction(() => {
      const changes: Array<{ edit: Edit; pageNo: number; current: Row | undefined; shown: FieldValue }> = [];
      const conflicts: Conflict[] = [];
      const unchanged: CorrectionField[] = [];
      for (const edit of edits) {
        const pageNo = edit.field === 'text' ? edit.pageNo! : 0;
        const current = this.currentRow(documentId, pageNo, edit.field);
        const shown = this.value(documentId, edit.field, edit.field === 'text' ? pageNo : null, true);
        // Nothing to change (a form sends its untouched fields too): no version needed, none made.
        if (edit.machine ? current === undefined || current.action === 'machine' : same(edit.value ?? null, shown)) {
          unchanged.push(edit.field);
          continue;
        }
        if ((current?.id ?? null) !== edit.basedOn) {
          conflicts.push({ field: edit.field, pageNo: pageNo === 0 ? null : pageNo, current: current ? toCorrection(current) : null, value: shown });
          continue;
        }
        changes.push({ edit, pageNo, current, shown });
      }
      if (conflicts.length > 0) return { conflicts };
      const at = now.toISOString();
      const saved = changes.map(({ edit, pageNo, current, shown }) =>
        this.insert(documentId, pageNo, edit.field, edit.machine ? { action: 'machine', value: null } : { action: 'set', value: edit.value ?? null }, shown, current, null, author, at),
      );
      if (saved.length > 0) {
        this.outbox.enqueue(documentId, 'upsert', at);
        // A field a person set settles its review item (a date set, a page's text corrected).
        this.review.refresh(documentId);
      }
      return { saved, unchanged };
    });
  }

  /**
   * Undoes a change: the field goes back to what it was before it (the machine's value, when it was
   * the first). Only the field's current change can be reverted (`conflict` otherwise: a later
   * change would be undone unseen); undefined when there is no such change.
   */
  revert(id: number, author: string, now = new Date()): { saved: Correction } | { conflict: Conflict } | undefined {
    return this.statements.transaction(() => {
      const row = this.statements.get(`SELECT ${ROW_COLUMNS} FROM corrections WHERE id = ?`).get(id) as Row | undefined;
      if (!row) return undefined;
      const current = this.currentRow(row.documentId, row.pageNo, row.field)!;
      const pageNo = row.pageNo === 0 ? null : row.pageNo;
      const shown = this.value(row.documentId, row.field, pageNo, true);
      if (current.id !== row.id) return { conflict: { field: row.field, pageNo, current: toCorrection(current), value: shown } };
      const prior = row.supersedes === null ? undefined : (this.statements.get(`SELECT ${ROW_COLUMNS} FROM corrections WHERE id = ?`).get(row.supersedes) as Row);
      const restored = prior === undefined || prior.action === 'machine' ? { action: 'machine' as const, value: null } : { action: 'set' as const, value: parse(prior.value) };
      const at = now.toISOString();
      const saved = this.insert(row.documentId, row.pageNo, row.field, restored, shown, current, row.id, author, at);
      this.outbox.enqueue(row.documentId, 'upsert', at);
      this.review.refresh(row.documentId);
      return { saved };
    });
  }

  /**
   * What staff corrected of the documents made from an original, by part: what its next conversion
   * writes into each PDF in place of the machine's reading (the catalog keeps both).
   */
  pdfMetadata(sourcePath: string): Record<number, CorrectedMetadata> {
    const rows = this.statements
      .get(`SELECT d.id, d.part_no AS partNo, c.field FROM documents d JOIN current_corrections c ON c.document_id = d.id AND c.page_no = 0 WHERE d.source_path = ?`)
      .all(sourcePath) as Array<{ id: number; partNo: number; field: DocumentField }>;
    const parts: Record<number, CorrectedMetadata> = {};
    for (const { id, partNo, field } of rows) {
      const part = (parts[partNo] ??= {});
      const value = this.value(id, field, null, true);
      if (field === 'identifiers') part.identifiers = (value as CorrectedIdentifier[]).map((entry) => `${entry.kind} ${entry.value}`);
      else Object.assign(part, { [field]: value }, field === 'date' ? { year: this.value(id, 'year', null, true) } : {});
    }
    return parts;
  }

  /**
   * A document row about to be removed (a re-ingest cut its batch into fewer parts): its corrections
   * stay, under the negated id, which no document has and SQLite may give a new document; they keep
   * the original's path and part, by which `reattach` finds them.
   */
  detach(documentId: number): void {
    this.statements.get('UPDATE corrections SET document_id = -document_id WHERE document_id = ?').run(documentId);
  }

  /**
   * A document row made again for an original's part (the row before was removed when a re-ingest
   * cut the batch into fewer parts) takes back that part's corrections. Called in recordConverted's
   * transaction, for every part it records.
   */
  reattach(sourcePath: string, partNo: number, documentId: number): void {
    this.statements.get('UPDATE corrections SET document_id = ? WHERE source_path = ? AND part_no = ? AND document_id < 0').run(documentId, sourcePath, partNo);
    this.statements
      .get('UPDATE documents SET corrections_seq = MAX(corrections_seq, COALESCE((SELECT MAX(id) FROM corrections WHERE document_id = ?), 0)) WHERE id = ?')
      .run(documentId, documentId);
  }

  /**
   * What a conversion of an original writes into its new PDFs in place of the machine's reading,
   * read at one moment: each part's corrected metadata, each part's corrected page texts (by the
   * part's page number, blank pages counted), and the newest correction of the original then,
   * which the new PDFs say (recorded with them: documents.pdf_corrections_seq).
   */
  forConversion(sourcePath: string): { metadata: Record<number, CorrectedMetadata>; pageTexts: Record<number, Record<number, string>>; seq: number } {
    return this.statements.transaction(() => {
      const rows = this.statements
        .get(
          `SELECT d.part_no AS partNo, c.page_no AS pageNo, json_extract(c.value, '$') AS text FROM documents d
             JOIN current_corrections c ON c.document_id = d.id AND c.page_no > 0 AND c.field = 'text' WHERE d.source_path = ?`,
        )
        .all(sourcePath) as Array<{ partNo: number; pageNo: number; text: string }>;
      const pageTexts: Record<number, Record<number, string>> = {};
      for (const { partNo, pageNo, text } of rows) (pageTexts[partNo] ??= {})[pageNo] = text;
      const seq = (this.statements.get('SELECT MAX(id) FROM corrections WHERE source_path = ?').pluck().get(sourcePath) as number | null) ?? 0;
      return { metadata: this.pdfMetadata(sourcePath), pageTexts, seq };
    });
  }

  private currentRow(documentId: number, pageNo: number, field: CorrectionField): Row | undefined {
    return this.statements.get(`SELECT ${ROW_COLUMNS} FROM corrections WHERE document_id = ? AND page_no = ? AND field = ? AND superseded_by IS NULL`).get(documentId, pageNo, field) as Row | undefined;
  }

  private insert(
    documentId: number,
    pageNo: number,
    field: CorrectionField,
    change: { action: 'set' | 'machine'; value: FieldValue },
    shown: FieldValue,
    current: Row | undefined,
    reverts: number | null,
    author: string,
    at: string,
  ): Correction {
    const source = this.statements.get('SELECT source_path AS sourcePath, part_no AS partNo FROM documents WHERE id = ?').get(documentId) as { sourcePath: string; partNo: number };
    const machine = this.value(documentId, field, pageNo === 0 ? null : pageNo, false);
    const holdsPersonal = field === 'text' && typeof change.value === 'string' && findPersonalNumbers(change.value).some((number) => number.personal) ? 1 : 0;
    // The one current change per field (a unique index): the one before steps aside first.
    if (current) this.statements.get('UPDATE corrections SET superseded_by = -1 WHERE id = ?').run(current.id);
    const id = Number(
      this.statements
        .get(
          `INSERT INTO corrections (document_id, source_path, part_no, page_no, field, action, value, before_value, machine_value, holds_personal, author, at, supersedes, reverts)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          documentId, source.sourcePath, source.partNo, pageNo, field, change.action, change.action === 'set' ? JSON.stringify(change.value) : null,
          JSON.stringify(shown), JSON.stringify(machine), holdsPersonal, author, at, current?.id ?? null, reverts,
        ).lastInsertRowid,
    );
    if (current) this.statements.get('UPDATE corrections SET superseded_by = ? WHERE id = ?').run(id, current.id);
    // The document's PDF now says less than its record: it waits for a rewrite (pdf-rewrites.ts).
    this.statements.get('UPDATE documents SET corrections_seq = ? WHERE id = ?').run(id, documentId);
    return this.get(id)!;
  }
}
