/** Acervo's pages as Meilisearch documents: one per page (id `<documentId>-<page>`), with its document's metadata. */
import type { IndexedPage } from './search-backend.js';
import { storedText } from './search-results.js';

/** One page, as Meilisearch stores it. Unknown values are left out (so they sort last). */
export interface PageDocument {
  id: string;
  documentId: number;
  pageNo: number;
  title: string;
  source: string;
  pdf: string;
  collection?: string;
  year?: number;
  documentType?: string;
  date?: string;
  language?: string;
  personalData: boolean;
  text: string;
  identifiers: string;
}

/** What a hit brings back: everything but the page's text, which comes as its snippet (`_formatted.text`). */
export const RETRIEVED: Array<keyof PageDocument> = ['documentId', 'pageNo', 'title', 'source', 'pdf', 'collection', 'year', 'documentType', 'date', 'language', 'personalData'];

/** `page` as indexableChange left it: personal numbers masked, their keys in `identifiers`. */
export function toDocument(page: IndexedPage): PageDocument {
  return {
    id: `${page.documentId}-${page.pageNo}`,
    documentId: page.documentId,
    pageNo: page.pageNo,
    source: page.source,
    pdf: page.pdf,
    ...(page.collection !== null ? { collection: page.collection } : {}),
    ...(page.year !== null ? { year: page.year } : {}),
    ...(page.documentType !== null ? { documentType: page.documentType } : {}),
    ...(page.date !== null ? { date: page.date } : {}),
    ...(page.language !== null ? { language: page.language } : {}),
    personalData: page.personalData,
    title: storedText(page.title),
    text: storedText(page.text),
    identifiers: storedText(page.identifiers ?? ''),
  };
}
