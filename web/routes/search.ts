/** GET /api/search: what the page shows as the clerk types. */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { AccessView } from '../../core/access/policy.js';
import { isAppError } from '../../core/errors.js';
import { typedPersonalNumbers } from '../../core/privacy/personal-numbers.js';
import type { QueryRefusal } from '../../core/search/query-parser.js';
import type { SearchFilters, SearchQuery, SearchResult, SearchSort } from '../../core/search/search-backend.js';
import { HttpError } from '../http-error.js';
import type { WebDeps } from '../app.js';
import { maskFacets } from '../mask.js';
import { publicHit } from './public-hit.js';

const list = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string().min(1).max(200)).max(50));
const year = z.coerce.number().int().min(1000).max(9999).optional();

const SearchParams = z
  .object({
    // Long enough for a pasted line or a word thousands of letters long (left out and named, not refused).
    q: z.string().max(10_000).default(''),
    collection: list,
    type: list,
    yearFrom: year,
    yearTo: year,
    page: z.coerce.number().int().min(1).max(500).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    sort: z.enum(['relevance', 'date-desc', 'date-asc', 'title']).default('relevance'),
  })
  .strict();

/**
 * The filters of a user's search: what they asked for, and never a collection they may not see.
 * The search page and a bulk change of a search's results (web/bulk-selection.ts) both use it, so
 * a bulk change selects exactly the documents the archivist was shown.
 */
export function searchFilters(view: AccessView, asked: { collections: string[]; types: string[]; yearFrom?: number | null; yearTo?: number | null }): SearchFilters {
  return {
    collections: asked.collections,
    excludeCollections: view.hiddenCollections(),
    documentTypes: asked.types,
    ...(asked.yearFrom != null ? { yearFrom: asked.yearFrom } : {}),
    ...(asked.yearTo != null ? { yearTo: asked.yearTo } : {}),
  };
}

export function registerSearch(app: FastifyInstance, deps: WebDeps, clerk: preHandlerHookHandler): void {
  app.get('/api/search', { preHandler: clerk }, async (request) => {
    const parsed = SearchParams.safeParse(request.query);
    if (!parsed.success) throw new HttpError(400, 'BAD_REQUEST', `Bad search parameters: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
    const params = parsed.data;
    if (params.q.trim() === '') return { query: '', total: 0, page: 1, pageSize: params.pageSize, hits: [], facets: null };
    const view = viewOf(deps, request);
    const result = await searchOrRefusal(deps, {
      text: params.q,
      limit: params.pageSize,
      offset: (params.page - 1) * params.pageSize,
      sort: params.sort as SearchSort,
      facets: true,
      showPersonalData: view.showPersonalData,
      filters: searchFilters(view, { collections: params.collection, types: params.type, yearFrom: params.yearFrom, yearTo: params.yearTo }),
    });
    const audit = { q: params.q, filters: { collection: params.collection, type: params.type, yearFrom: params.yearFrom ?? null, yearTo: params.yearTo ?? null }, page: params.page };
    if ('refused' in result) {
      deps.audit({ action: 'search', user: view.principal.name, role: view.principal.role, ip: request.ip, query: params.q, detail: { ...audit, refused: result.refused } });
      return { query: params.q, total: 0, page: 1, pageSize: params.pageSize, hits: [], facets: null, refused: result.refused };
    }
    const typed = typedPersonalNumbers(params.q);
    // A collection first stored under a new spelling within the policy's refresh time is still never shown.
    const hits = result.hits.filter((hit) => view.maySeeCollection(hit.collection));
    deps.audit({ action: 'search', user: view.principal.name, role: view.principal.role, ip: request.ip, query: params.q, detail: { ...audit, total: result.total, hits: hits.map((hit) => [hit.documentId, hit.page]), personalData: view.showPersonalData ? 'shown' : 'masked' } });
    return {
      query: result.query,
      total: result.total,
      ...(result.totalEstimate ? { totalEstimate: result.totalEstimate } : {}),
      page: params.page,
      pageSize: params.pageSize,
      hits: hits.map((hit) => publicHit(hit, view, typed, view.showPersonalData ? catalogTitle(deps, hit.documentId) : null)),
      facets: result.facets ? maskFacets(result.facets, view, typed) : null,
      ...(result.ignored ? { ignored: result.ignored } : {}),
    };
  });
}

/** What the signed-in user may see (routes run after the sign-in check, so there is a principal). */
export function viewOf(deps: Pick<WebDeps, 'policy'>, request: FastifyRequest): AccessView {
  return deps.policy.view(request.principal!);
}

/** The title as the catalog has it (the index keeps it masked). */
function catalogTitle(deps: Pick<WebDeps, 'catalog'>, documentId: number): string | null {
  const document = deps.catalog.getDocument(documentId);
  return document ? (document.title ?? document.relativePath) : null;
}

/**
 * A search, or why there was nothing to search for: a query with no words, only exclusions or too
 * many words is the clerk's to fix, said on the page in their language (`refused` names the reason),
 * never an error to report to IT.
 */
export async function searchOrRefusal(deps: Pick<WebDeps, 'backend'>, query: SearchQuery): Promise<SearchResult | { refused: QueryRefusal }> {
  try {
    return await deps.backend.search(query);
  } catch (error) {
    const reason = isAppError(error) && error.code === 'QUERY_INVALID' ? (error.details.reason as QueryRefusal | undefined) : undefined;
    if (reason === undefined) throw error;
    return { refused: reason };
  }
}
