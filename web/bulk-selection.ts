/**
 * What a bulk change is made on (web/routes/bulk-changes.ts), resolved to document ids at the
 * moment of the preview and again at the moment of the change: a box (collection and box as
 * shown), a search's results (its words and filters, as the search page sends them), or documents
 * picked by hand. Only documents the user may open count: converted, in a collection they may see.
 *
 * A search's results are walked page by page through the search port, as the page itself pages
 * (the index holds one record per page; a document counts once). Both backends rank with a total
 * order, so pages never repeat or go missing between calls. A search whose total is not exact (the
 * embedded index ran out of its time budget; Meilisearch stops counting at 10,000 pages) cannot be
 * listed whole: it is refused, and the archivist narrows it or changes by box.
 */
import { z } from 'zod';
import type { AccessView } from '../core/access/policy.js';
import type { BulkDocument, BulkSelection } from '../core/catalog/catalog.js';
import { HttpError } from './http-error.js';
import type { WebDeps } from './app.js';
import { searchFilters, searchOrRefusal } from './routes/search.js';

/** The most documents one bulk change may hold: a box is a few thousand, a broad search tens of thousands. */
export const MAX_DOCUMENTS = 50_000;
/** Pages of a search walked at most (a document has several): past it, narrow the search. */
const MAX_SEARCH_PAGES = 200_000;
/** Pages asked for at a time while walking a search. */
const WALK_PAGE = 1_000;
const MAX_PICKED = 1_000;

const name = z.string().max(400).transform((value) => value.normalize('NFC').replace(/[\p{Cc}\p{Cf}]/gu, ' ').replace(/\s+/g, ' ').trim());
const names = z.array(name.pipe(z.string().min(1))).max(50).default([]);
const year = z.number().int().min(1000).max(9999).nullable().default(null);

export const SelectionInput = z.union([
  z.object({ box: z.object({ collection: name.pipe(z.string().min(1)).nullable(), box: name.pipe(z.string().min(1)).nullable() }).strict() }).strict(),
  z.object({ search: z.object({ q: z.string().max(10_000), collection: names, type: names, yearFrom: year, yearTo: year }).strict() }).strict(),
  z.object({ documents: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(MAX_PICKED) }).strict(),
]);
export type SelectionInput = z.infer<typeof SelectionInput>;

/** The selection as recorded with the change, and its document ids as found now (not yet checked against the user's rights). */
export async function resolveSelection(deps: Pick<WebDeps, 'catalog' | 'backend'>, view: AccessView, input: SelectionInput): Promise<{ selection: BulkSelection; ids: number[] }> {
  if ('box' in input) {
    const { collection, box } = input.box;
    // A collection the user may not see holds nothing for them, as in a search.
    const ids = view.maySeeCollection(collection) ? deps.catalog.bulkChanges().boxDocumentIds(collection, box) : [];
    return { selection: { kind: 'box', collection, box }, ids };
  }
  if ('documents' in input) return { selection: { kind: 'documents', ids: [...new Set(input.documents)] }, ids: [...new Set(input.documents)] };
  const { q, collection, type, yearFrom, yearTo } = input.search;
  const selection: BulkSelection = { kind: 'search', q, collections: collection, types: type, yearFrom, yearTo };
  return { selection, ids: await searchDocumentIds(deps, view, selection) };
}

/** The documents of a search's results, in the order of its ranking. */
async function searchDocumentIds(deps: Pick<WebDeps, 'backend'>, view: AccessView, selection: Extract<BulkSelection, { kind: 'search' }>): Promise<number[]> {
  if (selection.q.trim() === '') throw new HttpError(400, 'INVALID_BULK_CHANGE', 'A search selection needs words to search for.');
  const ids = new Set<number>();
  let total: number | null = null;
  for (let offset = 0; total === null || offset < total; offset += WALK_PAGE) {
    const result = await searchOrRefusal(deps, {
      text: selection.q,
      limit: WALK_PAGE,
      offset,
      sort: 'relevance',
      filters: searchFilters(view, selection),
    });
    if ('refused' in result) throw new HttpError(400, 'INVALID_BULK_CHANGE', `Nothing to search for in this selection (${result.refused}).`);
    if (result.totalEstimate !== undefined || result.total > MAX_SEARCH_PAGES) {
      throw new HttpError(400, 'BULK_TOO_LARGE', 'This search finds too many pages to list them all exactly: narrow it (a collection, a type, years, more words) or change the documents box by box.');
    }
    // The results changed while they were walked (an index update came in): start again would race it too; ask again.
    if (total !== null && result.total !== total) throw new HttpError(409, 'SELECTION_CHANGED', 'The search results changed while they were being listed: preview again.');
    total = result.total;
    for (const hit of result.hits) ids.add(hit.documentId);
    if (ids.size > MAX_DOCUMENTS) break;
  }
  return [...ids];
}

/**
 * The selected documents a user may change: converted, in a collection they may see. Picked
 * documents the user may not open are "not found", as on their own page; a box or a search simply
 * leaves them out (the index may still list a document a correction moved a moment ago).
 */
export function documentsFor(deps: Pick<WebDeps, 'catalog'>, view: AccessView, selection: BulkSelection, ids: readonly number[]): BulkDocument[] {
  if (ids.length > MAX_DOCUMENTS) {
    throw new HttpError(400, 'BULK_TOO_LARGE', `This selection holds more than ${MAX_DOCUMENTS.toLocaleString('en')} documents: change them in parts (box by box, or a narrower search).`);
  }
  const documents = deps.catalog.bulkChanges().documents(ids);
  const visible = documents.filter((document) => document.converted && view.maySeeCollection(document.fields.collection.value));
  if (selection.kind === 'documents' && visible.length < ids.length) {
    const found = new Set(visible.map((document) => document.id));
    throw new HttpError(404, 'NOT_FOUND', `No such document: ${ids.find((id) => !found.has(id))}.`);
  }
  return visible;
}
