/**
 * A citizen's search, bounded so that no query slows the server for others: at most 200 letters
 * of words and 40 of number, 20 results a page and 25 pages deep, the search index's time budget
 * cut to half a second. Only the public set's documents are searched (a document-set filter the
 * set prepares once per change, PublicSet.searchSet, so the index counts nothing else: totals and
 * facets are of public pages only, and no search does work that grows with the set), and a whole
 * personal number typed is dropped from the query: the portal is no oracle of who appears where.
 * For the same reason a document with a box staff drew (a name, a signature) is never found by
 * the words of its pages: the index holds the text under the box too, and a hit would tell that
 * the covered name is in it. Such a document is found by browsing (type, year, newest acts).
 */
import { z } from 'zod';
import { findPersonalNumbers } from '../../core/privacy/personal-numbers.js';
import { maskedForCopy } from '../../core/redaction/copy-metadata.js';
import { documentSetIds, inDocumentSet } from '../../core/search/document-set.js';
import type { SearchBackend } from '../../core/search/search-backend.js';
import { maskSnippet } from '../mask.js';
import type { PublicRecord, PublicSet } from './public-set.js';

export const PAGE_SIZE = 20;
export const MAX_PAGE = 25;
const BUDGET_MS = 500;

const text = (max: number) => z.preprocess((value) => (Array.isArray(value) ? value[0] : value), z.string().max(max).default('')).transform((value) => value.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim());
const optionalYear = z.preprocess((value) => (value === '' || value === undefined ? undefined : value), z.coerce.number().int().min(1000).max(9999).optional());

export const PortalQuery = z
  .object({
    q: text(200),
    numero: text(40),
    ano: optionalYear,
    tipo: z.preprocess((value) => (value === '' ? undefined : value), z.string().regex(/^[a-z0-9_-]{1,40}$/).optional()),
    pagina: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
    lang: z.string().max(5).optional(),
  })
  .strict();
export type PortalQuery = z.infer<typeof PortalQuery>;

export interface PortalHit {
  record: PublicRecord;
  /** HTML: escaped text with <mark>s; null when the document was listed, not found by words. */
  snippet: string | null;
}

export interface PortalResults {
  total: number;
  more: boolean;
  hits: PortalHit[];
  /** Public documents by type among the matches (for the words searched, or all). */
  pages: number;
}

/** The query with every whole personal number taken out. */
export function withoutPersonalNumbers(query: string): string {
  let out = query;
  for (const number of findPersonalNumbers(query).filter((found) => found.personal).sort((a, b) => b.index - a.index)) {
    out = `${out.slice(0, number.index)} ${out.slice(number.index + number.length)}`;
  }
  return out.replace(/\s+/g, ' ').trim();
}

export async function portalSearch(query: PortalQuery, publicSet: PublicSet, backend: SearchBackend, withDrawnBoxes: () => ReadonlySet<number>): Promise<PortalResults> {
  const words = withoutPersonalNumbers(`${query.q} ${query.numero}`);
  const offset = (query.pagina - 1) * PAGE_SIZE;
  const matches = (record: PublicRecord) => (query.tipo === undefined || record.documentType === query.tipo) && (query.ano === undefined || record.year === query.ano);
  // Only a personal number typed: nothing to search for (not the list of everything).
  if (words === '' && `${query.q}${query.numero}`.trim() !== '') return { total: 0, more: false, hits: [], pages: 0 };
  if (words === '') {
    // No words: the newest acts, filtered by type and year, from the public set alone.
    const all = publicSet.all().filter(matches);
    return { total: all.length, more: false, hits: all.slice(offset, offset + PAGE_SIZE).map((record) => ({ record, snippet: null })), pages: Math.ceil(all.length / PAGE_SIZE) };
  }
  const covered = withDrawnBoxes();
  // The public documents without a drawn box, prepared by the set once per change (read after the
  // drawn boxes: a box drawn before is in it): no work here grows with the set.
  const searchable = publicSet.searchSet();
  if (searchable.size === 0) return { total: 0, more: false, hits: [], pages: 0 };
  // A box the set does not know of yet (never, as read above; checked all the same, the list is short): those ids out, listed.
  const late = [...covered].some((id) => inDocumentSet(searchable, id));
  const scope = late ? { documentIds: documentSetIds(searchable).filter((id) => !covered.has(id)) } : { documentSet: searchable };
  if (late && scope.documentIds!.length === 0) return { total: 0, more: false, hits: [], pages: 0 };
  let result;
  try {
    result = await backend.search({
      text: words,
      limit: PAGE_SIZE,
      offset,
      budgetMs: BUDGET_MS,
      showPersonalData: false,
      filters: { ...scope, ...(query.tipo !== undefined ? { documentTypes: [query.tipo] } : {}), ...(query.ano !== undefined ? { yearFrom: query.ano, yearTo: query.ano } : {}) },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'QUERY_INVALID') return { total: 0, more: false, hits: [], pages: 0 };
    throw error;
  }
  const hits: PortalHit[] = [];
  for (const hit of result.hits) {
    // The second lock: a hit not in the public set (the set changed since) is dropped.
    const record = publicSet.ofDocument(hit.documentId);
    if (!record || covered.has(hit.documentId)) continue;
    hits.push({ record, snippet: maskSnippet(hit.snippet, maskedForCopy) });
  }
  const total = Math.min(result.total, MAX_PAGE * PAGE_SIZE);
  return { total: result.total, more: result.totalEstimate !== undefined, hits, pages: Math.ceil(total / PAGE_SIZE) };
}
