/** How a batch scan was cut into documents, as `--json` and the run report show it. */
import type { IngestOutcome } from '../model.js';

export interface SplitSummary {
  mode: 'barcode' | 'blank';
  /** Pages left out as separators. */
  separators: Array<{ page: number; kind: 'barcode' | 'blank'; text: string | null; warnings: string[] }>;
  parts: Array<{
    part: number;
    documentId: number;
    pdf: string;
    /** Pages of the batch file, e.g. { first: 5, last: 9 }. */
    sourcePages: { first: number; last: number } | null;
    pages: number;
    title: string;
    collection: string | null;
    box: string | null;
    /** The separator page before it (null for the first part without one). */
    separatorPage: number | null;
  }>;
}

/** Null for an outcome no split mode was asked for (or not converted in this run). */
export function splitSummary(outcome: IngestOutcome, showPath: (file: string) => string = (file) => file): SplitSummary | null {
  if (!outcome.split || !outcome.parts) return null;
  return {
    mode: outcome.split.mode,
    separators: outcome.split.separators.map((s) => ({ page: s.page, kind: s.kind, text: s.text, warnings: s.warnings })),
    parts: outcome.parts.map((p) => ({
      part: p.partNo,
      documentId: p.documentId,
      pdf: showPath(p.pdf),
      sourcePages: p.sourcePages,
      pages: p.pages,
      title: p.title,
      collection: p.metadata.collection,
      box: p.metadata.box,
      separatorPage: p.separatorPage,
    })),
  };
}

/** "pages 5–9" */
export function pageRange(range: { first: number; last: number } | null): string {
  if (!range) return 'all pages';
  return range.first === range.last ? `page ${range.first}` : `pages ${range.first}–${range.last}`;
}
