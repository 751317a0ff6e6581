/**
 * How well the metadata stage reads the test set: precision, recall and F1 per field, and each
 * record's misses. The same scoring takes the records' own text (the text layer) or what OCR read
 * from their scans: the input is the pages of text of each record, by id.
 *
 * Single-valued fields (type, date, title, language): a value given is a positive, right when it
 * equals the truth; a wrong one is a false positive and, when the truth has a value, a false
 * negative too. Sets (dates, identifiers): each element is a positive, micro-averaged over the set.
 */
import { DEFAULT_DOCUMENT_TYPES } from '../../core/metadata/document-type.js';
import { closeLetterSpacing, extractMetadata, type MetadataRules } from '../../core/metadata/extract-metadata.js';
import { metadataFromPath } from '../../core/metadata/path-metadata.js';
import type { DocumentMetadata } from '../../core/model.js';
import type { MetadataRecord } from './load.js';

export const METADATA_FIELDS = ['type', 'date', 'dates', 'identifiers', 'title', 'language'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export interface FieldScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface RecordMiss {
  id: string;
  field: MetadataField;
  /** What the truth has that was not read (for sets: the elements missed). */
  expected: string[];
  /** What was read that the truth does not have. */
  got: string[];
}

export interface MetadataScores {
  records: number;
  fields: Record<MetadataField, FieldScore>;
  misses: RecordMiss[];
}

const DEFAULT_RULES: MetadataRules = { pathTemplate: null, documentTypes: DEFAULT_DOCUMENT_TYPES };

/** Each record's pages as written (its text layer): one page, the record's text. */
export function textLayerPages(records: readonly MetadataRecord[]): Map<string, string[]> {
  return new Map(records.map((record) => [record.id, [record.text]]));
}

/** A neutral place in the archive, so the path says nothing the text should. */
const pathOf = (id: string) => `Arquivo/${id}.pdf`;

/** Titles compared as a reader does: letters closed up, one space, case aside. */
export function normaliseTitle(title: string): string {
  return closeLetterSpacing(title.normalize('NFC')).replace(/\s+/g, ' ').trim().toLocaleLowerCase('pt');
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** Reads every record from `pages` (record id → its pages of text) and scores it against its truth. */
export function scoreMetadataSet(records: readonly MetadataRecord[], pages: ReadonlyMap<string, readonly string[]>, rules: MetadataRules = DEFAULT_RULES): MetadataScores {
  const counts = Object.fromEntries(METADATA_FIELDS.map((field) => [field, { tp: 0, fp: 0, fn: 0 }])) as Record<MetadataField, Counts>;
  const misses: RecordMiss[] = [];
  for (const record of records) {
    const text = pages.get(record.id);
    if (!text) throw new Error(`metadata set: no pages for ${record.id}`);
    const { metadata: read, title } = readRecord(record.id, text, rules);
    const truth = record.truth;
    const single = (field: MetadataField, expected: string | null, got: string | null, same = (a: string, b: string) => a === b) => {
      const right = expected !== null && got !== null && same(expected, got);
      if (right) counts[field].tp++;
      if (got !== null && !right) counts[field].fp++;
      if (expected !== null && !right) counts[field].fn++;
      if (!right && (expected !== null || got !== null)) misses.push({ id: record.id, field, expected: expected === null ? [] : [expected], got: got === null ? [] : [got] });
    };
    const set = (field: MetadataField, expected: readonly string[], got: readonly string[]) => {
      const want = new Set(expected);
      const have = new Set(got);
      const missed = [...want].filter((value) => !have.has(value));
      const extra = [...have].filter((value) => !want.has(value));
      counts[field].tp += want.size - missed.length;
      counts[field].fp += extra.length;
      counts[field].fn += missed.length;
      if (missed.length > 0 || extra.length > 0) misses.push({ id: record.id, field, expected: missed, got: extra });
    };
    single('type', truth.type, read.documentType);
    single('date', truth.date, read.date);
    set('dates', truth.dates, read.dates.map((d) => d.iso));
    set('identifiers', truth.identifiers, read.identifiers.map((id) => `${id.kind} ${id.value}`));
    single('title', truth.title, title, (a, b) => normaliseTitle(a) === normaliseTitle(b));
    single('language', record.language, read.language);
  }
  const fields = Object.fromEntries(METADATA_FIELDS.map((field) => [field, fieldScore(counts[field])])) as Record<MetadataField, FieldScore>;
  return { records: records.length, fields, misses };
}

/** The metadata as the stage reads it; a title that is only the file's name counts as none read. */
function readRecord(id: string, pages: readonly string[], rules: MetadataRules): { metadata: DocumentMetadata; title: string | null } {
  const metadata = extractMetadata(pathOf(id), pages, rules);
  const fromName = metadata.title === metadataFromPath(pathOf(id), rules.pathTemplate).fileTitle;
  return { metadata, title: fromName ? null : metadata.title };
}

function fieldScore({ tp, fp, fn }: Counts): FieldScore {
  // Nothing to find and nothing found is perfect, not 0/0.
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}
