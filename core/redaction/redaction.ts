/**
 * Redacted copies, start to end: the review of a PDF (proposed boxes as the archivist left them)
 * and the copy made from it. The one entry point for the CLI (`acervo redact`) and the web page.
 */
import { openPdfjsFromBytes } from '../pipeline/decode/pdfjs-document.js';
import type { CopyFacts } from './copy-metadata.js';
import { readPage } from './page-reading.js';
import { proposedBoxes } from './proposals.js';
import { redactedPdf, type RedactedCopy } from './redacted-pdf.js';
import { coveredBoxes, reviewPage, type PageReview, type RedactionMark } from './review.js';

export interface RedactionScope {
  /** Also e-mail addresses and telephones (a citizen's copy, the default); false: personal numbers only. */
  contacts?: boolean;
}

/** Every page of `pdf` with its proposed boxes and the archivist's `marks` applied. */
export async function reviewPdf(pdf: Uint8Array, marks: readonly RedactionMark[], scope: RedactionScope = {}): Promise<PageReview[]> {
  const reader = await openPdfjsFromBytes(new Uint8Array(pdf), -1);
  try {
    const pages: PageReview[] = [];
    for (let index = 0; index < reader.numPages; index++) {
      const page = await reader.page(index);
      try {
        const reading = await readPage(page);
        pages.push(reviewPage(index + 1, reading, proposedBoxes(reading, scope.contacts ?? true), marks));
      } finally {
        page.cleanup();
      }
    }
    return pages;
  } finally {
    await reader.close();
  }
}

export interface MadeCopy extends RedactedCopy {
  review: PageReview[];
}

/** The redacted copy of `pdf` as reviewed: proposed boxes not removed, and the boxes drawn. */
export async function redactPdf(pdf: Uint8Array, marks: readonly RedactionMark[], facts: Omit<CopyFacts, 'boxes'>, scope: RedactionScope = {}): Promise<MadeCopy> {
  const review = await reviewPdf(pdf, marks, scope);
  const copy = await redactedPdf(pdf, coveredBoxes(review), facts);
  return { ...copy, review };
}
