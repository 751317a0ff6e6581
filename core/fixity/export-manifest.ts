/**
 * The export's description of each record, as a spreadsheet (manifest.csv, UTF-8 with a BOM so
 * Excel shows the accents) and as JSON (manifest.json): metadata, checksums, page counts.
 * Taxpayer numbers (personal data) are never in it; the PDFs carry the records themselves.
 */
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { ExportRecord } from '../catalog/catalog.js';

export interface ManifestRow {
  /** Relative to the bag: `data/Obras/1987/alvara.pdf`. */
  file: string;
  title: string | null;
  collection: string;
  year: number | null;
  box: string | null;
  series: string | null;
  documentType: string | null;
  date: string | null;
  language: string | null;
  identifiers: string[];
  pages: number;
  originalName: string;
  /** Relative to the folder it was ingested from. */
  originalPath: string;
  originalSha256: string | null;
  pdfSha256: string;
  pdfBytes: number;
  notes: string | null;
}

export function manifestRow(record: ExportRecord, file: string, identifiers: string[], pdf: { sha256: string; bytes: number }): ManifestRow {
  return {
    file,
    title: record.title,
    collection: record.collection,
    year: record.year,
    box: record.box,
    series: record.series,
    documentType: record.documentType,
    date: record.date,
    language: record.language,
    identifiers,
    pages: record.pdfPages,
    originalName: path.basename(record.sourcePath),
    originalPath: record.relativePath,
    originalSha256: record.sha256,
    pdfSha256: pdf.sha256,
    pdfBytes: pdf.bytes,
    notes: record.notes,
  };
}

/** Columns of manifest.csv, in order, and the row field each comes from. */
export const CSV_COLUMNS: ReadonlyArray<[string, keyof ManifestRow]> = [
  ['file', 'file'],
  ['title', 'title'],
  ['collection', 'collection'],
  ['year', 'year'],
  ['box', 'box'],
  ['series', 'series'],
  ['document_type', 'documentType'],
  ['date', 'date'],
  ['language', 'language'],
  ['identifiers', 'identifiers'],
  ['pages', 'pages'],
  ['original_name', 'originalName'],
  ['original_path', 'originalPath'],
  ['original_sha256', 'originalSha256'],
  ['pdf_sha256', 'pdfSha256'],
  ['pdf_bytes', 'pdfBytes'],
  ['notes', 'notes'],
];

export function manifestCsv(rows: readonly ManifestRow[]): string {
  const records = rows.map((row) => CSV_COLUMNS.map(([, field]) => {
    const value = row[field];
    // Several identifiers in one cell: `processo 1873/1987; decreto 345/1990`.
    return Array.isArray(value) ? value.join('; ') : value;
  }));
  return stringify(records, { header: true, columns: CSV_COLUMNS.map(([name]) => name), bom: true });
}

export function manifestJson(meta: { collection: string; exportedAt: string; software: string }, rows: readonly ManifestRow[]): string {
  return `${JSON.stringify({ ...meta, documents: rows }, null, 2)}\n`;
}
