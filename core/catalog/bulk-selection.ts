/**
 * What a bulk change reads (core/catalog/bulk-changes.ts): the documents of a box, the boxes there
 * are, each selected document's fields as shown with the machine's value and the version of each
 * (the current correction's id), and what setting the new values would change (the preview).
 *
 * A selection of tens of thousands is read with one statement over a JSON array of ids, not one
 * query a document: SQLite walks the array and finds each row by its key.
 */
import type { Statements } from '../sqlite/statements.js';

export const BULK_FIELDS = ['collection', 'series', 'box', 'documentType'] as const;
export type BulkField = (typeof BULK_FIELDS)[number];
/** The values a bulk change sets (a field left out is left alone; null empties it). */
export type BulkValues = Partial<Record<BulkField, string | null>>;

/** Each bulk field's column, the same in `documents` (the machine's) and `effective_documents`. */
const COLUMN: Record<BulkField, string> = { collection: 'collection', series: 'series', box: 'box', documentType: 'document_type' };

/** A document as a bulk change reads it. */
export interface BulkDocument {
  id: number;
  sourcePath: string;
  partNo: number;
  title: string | null;
  relativePath: string;
  /** Converted, with a PDF: a document anyone can open (the others are no one's to change in bulk). */
  converted: boolean;
  /** Each field as shown, as the machine read it, and its version (the current correction's id; null: the machine's). */
  fields: Record<BulkField, { value: string | null; machine: string | null; version: number | null }>;
}

/** What setting `values` on a selection would do: what the preview shows and the apply does. */
export interface BulkSummary {
  documents: number;
  /** Documents with at least one field that would change. */
  changing: number;
  fields: Partial<Record<BulkField, { to: string | null; changing: number; unchanged: number; from: Array<{ value: string | null; documents: number }> }>>;
  /** The first documents that would change, in the selection's order, with their changes. */
  sample: Array<{ document: BulkDocument; changes: Partial<Record<BulkField, { from: string | null; to: string | null }>> }>;
}

const SAMPLE = 20;
/** The values a field is changed from, most documents first: enough to see what is being overwritten. */
const FROM_VALUES = 12;

// Each field's current correction joined once (its version, and its value when it sets one): the
// effective view would join every corrected field of the document, most of them not needed here.
const DOCUMENT_SQL = `
  SELECT d.id, d.source_path AS sourcePath, d.part_no AS partNo, d.relative_path AS relativePath,
    IIF(t.action = 'set', json_extract(t.value, '$'), d.title) AS title,
    d.status = 'done' AND d.output_path IS NOT NULL AS converted,
    ${BULK_FIELDS.map(
      (field) => `IIF(c_${field}.action = 'set', json_extract(c_${field}.value, '$'), d.${COLUMN[field]}) AS "v.${field}", d.${COLUMN[field]} AS "m.${field}", c_${field}.id AS "c.${field}"`,
    ).join(',\n    ')}
  FROM json_each(?) j JOIN documents d ON d.id = j.value
  LEFT JOIN corrections t ON t.document_id = d.id AND t.page_no = 0 AND t.field = 'title' AND t.superseded_by IS NULL
  ${BULK_FIELDS.map((field) => `LEFT JOIN corrections c_${field} ON c_${field}.document_id = d.id AND c_${field}.page_no = 0 AND c_${field}.field = '${field}' AND c_${field}.superseded_by IS NULL`).join('\n  ')}
  ORDER BY j.key`;

/** The documents of these ids that exist, in the order given, each field with its version. */
export function readDocuments(statements: Statements, ids: readonly number[]): BulkDocument[] {
  if (ids.length === 0) return [];
  const rows = statements.get(DOCUMENT_SQL).all(JSON.stringify(ids)) as Array<Record<string, string | number | null>>;
  return rows.map((row) => ({
    id: row.id as number,
    sourcePath: row.sourcePath as string,
    partNo: row.partNo as number,
    title: row.title as string | null,
    relativePath: row.relativePath as string,
    converted: row.converted === 1,
    fields: Object.fromEntries(
      BULK_FIELDS.map((field) => [field, { value: row[`v.${field}`] as string | null, machine: row[`m.${field}`] as string | null, version: row[`c.${field}`] as number | null }]),
    ) as BulkDocument['fields'],
  }));
}

/**
 * The converted documents shown in a box (collection and box as shown, corrections laid over; null
 * matches a document with none), by id. The machine's values are found by their index, and the
 * documents a correction moved into the box or its collection are added, then all are checked as shown.
 */
export function boxDocumentIds(statements: Statements, collection: string | null, box: string | null): number[] {
  return (
    statements
      .get(
        `SELECT e.id FROM effective_documents e
         WHERE e.id IN (
           SELECT id FROM documents WHERE collection IS @collection AND box IS @box
           UNION SELECT document_id FROM current_corrections WHERE page_no = 0
             AND ((field = 'collection' AND json_extract(value, '$') IS @collection) OR (field = 'box' AND json_extract(value, '$') IS @box)))
         AND e.collection IS @collection AND e.box IS @box AND e.status = 'done' AND e.output_path IS NOT NULL
         ORDER BY e.id`,
      )
      .all({ collection, box }) as Array<{ id: number }>
  ).map((row) => row.id);
}

/** Every box as shown (collection, box) with its converted documents, as collections.ts counts collections: the machine's, then the corrected moved. */
export function boxes(statements: Statements): Array<{ collection: string | null; box: string | null; documents: number }> {
  const counts = new Map<string, { collection: string | null; box: string | null; documents: number }>();
  const add = (collection: string | null, box: string | null, n: number) => {
    const key = JSON.stringify([collection, box]);
    const entry = counts.get(key) ?? { collection, box, documents: 0 };
    entry.documents += n;
    counts.set(key, entry);
  };
  const machine = statements
    .get(`SELECT collection, box, COUNT(*) AS documents FROM documents WHERE status = 'done' AND output_path IS NOT NULL GROUP BY collection, box`)
    .all() as Array<{ collection: string | null; box: string | null; documents: number }>;
  for (const row of machine) add(row.collection, row.box, row.documents);
  const moved = statements
    .get(
      `SELECT d.collection AS mc, d.box AS mb, e.collection AS ec, e.box AS eb FROM documents d JOIN effective_documents e ON e.id = d.id
       WHERE d.id IN (SELECT document_id FROM current_corrections WHERE page_no = 0 AND field IN ('collection', 'box')) AND d.status = 'done' AND d.output_path IS NOT NULL`,
    )
    .all() as Array<{ mc: string | null; mb: string | null; ec: string | null; eb: string | null }>;
  for (const row of moved) {
    add(row.mc, row.mb, -1);
    add(row.ec, row.eb, 1);
  }
  const text = (value: string | null) => value ?? '';
  return [...counts.values()]
    .filter((entry) => entry.documents > 0)
    .sort((a, b) => text(a.collection).localeCompare(text(b.collection)) || text(a.box).localeCompare(text(b.box), undefined, { numeric: true }));
}

/** What setting `values` on these documents would change, field by field. */
export function summarize(documents: readonly BulkDocument[], values: BulkValues): BulkSummary {
  const set = BULK_FIELDS.filter((field) => field in values);
  const fields: BulkSummary['fields'] = {};
  const from = new Map<BulkField, Map<string | null, number>>(set.map((field) => [field, new Map()]));
  for (const field of set) fields[field] = { to: values[field] ?? null, changing: 0, unchanged: 0, from: [] };
  const sample: BulkSummary['sample'] = [];
  let changing = 0;
  for (const document of documents) {
    const changes: BulkSummary['sample'][number]['changes'] = {};
    for (const field of set) {
      const now = document.fields[field].value;
      const entry = fields[field]!;
      if (now === entry.to) {
        entry.unchanged += 1;
        continue;
      }
      entry.changing += 1;
      from.get(field)!.set(now, (from.get(field)!.get(now) ?? 0) + 1);
      changes[field] = { from: now, to: entry.to };
    }
    if (Object.keys(changes).length === 0) continue;
    changing += 1;
    if (sample.length < SAMPLE) sample.push({ document, changes });
  }
  for (const field of set) {
    fields[field]!.from = [...from.get(field)!]
      .map(([value, count]) => ({ value, documents: count }))
      .sort((a, b) => b.documents - a.documents || Number(a.value === null) - Number(b.value === null) || String(a.value).localeCompare(String(b.value)))
      .slice(0, FROM_VALUES);
  }
  return { documents: documents.length, changing, fields, sample };
}
