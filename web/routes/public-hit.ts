/** A hit as the page sees it: where to open it, never a path on the server's disks, and only what the user may see. */
import type { AccessView } from '../../core/access/policy.js';
import type { SearchHit } from '../../core/search/search-backend.js';
import { maskSnippet } from '../mask.js';

/**
 * `typed`: keys of the personal numbers the user typed whole (shown as typed); `catalogTitle`: the
 * title as written, for a user who may see personal numbers (the index keeps it masked).
 */
export function publicHit(hit: SearchHit, view: AccessView, typed: ReadonlySet<string>, catalogTitle?: string | null) {
  const text = (value: string) => view.text(value, typed);
  return {
    documentId: hit.documentId,
    title: view.showPersonalData && catalogTitle ? catalogTitle : text(hit.title),
    page: hit.page,
    collection: hit.collection === null ? null : text(hit.collection),
    year: hit.year,
    documentType: hit.documentType === null ? null : text(hit.documentType),
    date: hit.date,
    language: hit.language,
    personalData: hit.personalData,
    snippet: maskSnippet(hit.snippet, text, !view.showPersonalData),
    viewUrl: `/view/${hit.documentId}?page=${hit.page}`,
    pdfUrl: `/api/documents/${hit.documentId}/pdf#page=${hit.page}`,
  };
}
