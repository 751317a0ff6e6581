/** A hit as the page sees it: where to open it, never a path on the server's disks. */
import type { SearchHit } from '../../core/search/search-backend.js';
import { maskSnippet } from '../mask.js';

/** `mask`: the user may not see personal data, so taxpayer numbers in the snippet are masked. */
export function publicHit(hit: SearchHit, mask: boolean) {
  return {
    documentId: hit.documentId,
    title: hit.title,
    page: hit.page,
    collection: hit.collection,
    year: hit.year,
    documentType: hit.documentType,
    date: hit.date,
    language: hit.language,
    personalData: hit.personalData,
    snippet: mask ? maskSnippet(hit.snippet) : hit.snippet,
    viewUrl: `/view/${hit.documentId}?page=${hit.page}`,
    pdfUrl: `/api/documents/${hit.documentId}/pdf#page=${hit.page}`,
  };
}
