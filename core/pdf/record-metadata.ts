/**
 * What a searchable PDF's document information and XMP say of the record: the machine's reading
 * with staff's corrections laid over it (issue 25). One function for both writes of a PDF, a
 * conversion (document-part.ts) and a rewrite from corrections (core/pipeline/apply-corrections.ts),
 * so a rewritten PDF says exactly what converting its original again would.
 */
import type { CorrectedMetadata } from '../model.js';
import type { PdfMetadata } from './xmp.js';

/** The machine's reading of a record, as the catalog keeps it. */
export interface RecordFields {
  title: string;
  documentType: string | null;
  collection: string | null;
  year: number | null;
  date: string | null;
  series: string | null;
  box: string | null;
  notes: string | null;
}

/** `identifiers` as the PDF lists them (`kind value`); `corrected`: what staff set, by field. */
export function shownRecord(machine: RecordFields, identifiers: readonly string[], corrected: CorrectedMetadata): Pick<PdfMetadata, 'title' | 'keywords' | 'record'> {
  const shown = { ...machine, ...corrected, title: corrected.title ?? machine.title };
  return {
    title: shown.title,
    keywords: [shown.collection, shown.year?.toString(), shown.documentType, shown.series, shown.box && `box ${shown.box}`].filter((k): k is string => Boolean(k)),
    record: {
      documentType: shown.documentType ?? null,
      date: shown.date ?? null,
      identifiers: corrected.identifiers ?? identifiers,
      collection: shown.collection ?? null,
      box: shown.box ?? null,
      notes: shown.notes ?? null,
    },
  };
}
