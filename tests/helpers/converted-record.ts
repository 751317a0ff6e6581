/**
 * Documents as a conversion hands them to the catalog (Catalog.recordConverted), for tests that
 * fill a real catalog without OCR: the catalog's rules (corrections, review queue, bulk changes)
 * at the scale of thousands of documents in milliseconds.
 */
import type { ConvertedRecord } from '../../core/catalog/catalog.js';
import type { ConvertedDocument, DocumentMetadata } from '../../core/model.js';

/** What the machine read of a document: a title and its language only, unless told. */
export function machineMetadata(over: Partial<DocumentMetadata> = {}): DocumentMetadata {
  return {
    title: 'DOCUMENTO', documentType: null, collection: null, year: null, date: null, language: 'pt', personalData: false, notes: null,
    dates: [], identifiers: [], taxNumbers: [], box: null, series: null, ...over,
  };
}

/** A page: its text, or its text with how surely it was read (90 unless told) and from where. */
export type PageSpec = string | { text: string; confidence?: number | null; textSource?: 'ocr' | 'pdf-text' | 'none' };

/** One document of an original (part 1 unless told), its pages read by OCR on A4 at 300 DPI. */
export function convertedDocument(pages: readonly PageSpec[], metadata: DocumentMetadata, over: Partial<ConvertedDocument> = {}): ConvertedDocument {
  return {
    partNo: 1,
    sourcePages: null,
    separator: null,
    tempFile: '',
    pages: pages.map((spec, i) => {
      const page = typeof spec === 'string' ? { text: spec } : spec;
      return {
        pageNo: i + 1, pdfPageNo: i + 1, text: page.text, confidence: page.confidence === undefined ? 90 : page.confidence, textSource: page.textSource ?? 'ocr',
        widthPt: 595, heightPt: 842, dpi: 300, dpiAssumed: false, corrections: null,
      };
    }),
    metadata,
    outputSha256: 'ab',
    outputBytes: 1000,
    pdfConformance: null,
    pdfConformanceNote: null,
    ...over,
  };
}

/** An original at `sourcePath` converted into `documents`, each PDF named after its part. */
export function convertedRecord(sourcePath: string, documents: readonly ConvertedDocument[], over: Partial<Omit<ConvertedRecord, 'documents'>> = {}): ConvertedRecord {
  const relativePath = over.relativePath ?? sourcePath.replace(/^\/+/, '');
  const stem = relativePath.replace(/\.[^./]+$/, '');
  return {
    sourcePath,
    relativePath,
    mediaType: 'image/png',
    sha256: `sha-${sourcePath}`,
    sizeBytes: 1,
    settings: '{}',
    ...over,
    documents: documents.map((document) => ({ outputPath: `documents/${stem}${documents.length > 1 ? `-${document.partNo}` : ''}.pdf`, document })),
  };
}
